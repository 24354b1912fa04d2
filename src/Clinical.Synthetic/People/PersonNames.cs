namespace Clinical.Synthetic.People;

internal static class PersonNames
{
    private static readonly string[] Women =
    [
        "María",
        "Carmen",
        "Ana",
        "Isabel",
        "Dolores",
        "Pilar",
        "Josefa",
        "Teresa",
        "Rosa",
        "Laura",
        "Cristina",
        "Marta",
        "Lucía",
        "Elena",
        "Mercedes",
        "Antonia",
        "Francisca",
        "Concepción",
        "Rocío",
        "Beatriz",
        "Sara",
        "Paula",
        "Inmaculada",
        "Encarnación",
    ];

    private static readonly string[] Men =
    [
        "José",
        "Antonio",
        "Manuel",
        "Francisco",
        "Juan",
        "David",
        "Javier",
        "Jesús",
        "Carlos",
        "Miguel",
        "Rafael",
        "Pedro",
        "Ángel",
        "Alejandro",
        "Pablo",
        "Luis",
        "Fernando",
        "Sergio",
        "Jorge",
        "Alberto",
        "Ramón",
        "Enrique",
        "Vicente",
        "Andrés",
    ];

    private static readonly string[] Surnames =
    [
        "García",
        "Rodríguez",
        "González",
        "Fernández",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Martín",
        "Jiménez",
        "Ruiz",
        "Hernández",
        "Díaz",
        "Moreno",
        "Muñoz",
        "Álvarez",
        "Romero",
        "Navarro",
        "Torres",
        "Domínguez",
        "Vázquez",
        "Ramos",
        "Gil",
        "Serrano",
        "Blanco",
        "Molina",
        "Morales",
        "Ortega",
        "Delgado",
        "Castro",
        "Ortiz",
        "Rubio",
        "Marín",
        "Sanz",
        "Iglesias",
    ];

    private static readonly Dictionary<NoteLanguage, (string[] Women, string[] Men, string[] Surnames)> Regional = new()
    {
        [NoteLanguage.Catalan] = (
            ["Montserrat", "Núria", "Mercè", "Roser", "Laia", "Anna"],
            ["Jordi", "Joan", "Josep", "Xavier", "Pere", "Marc"],
            ["Puig", "Vila", "Ferrer", "Soler", "Roca", "Serra", "Font", "Pujol"]
        ),
        [NoteLanguage.Galician] = (
            ["Uxía", "Iria", "Antía", "Xiana", "Sabela"],
            ["Xoán", "Xosé", "Brais", "Anxo", "Iago"],
            ["Otero", "Rey", "Castro", "Varela", "Pazos", "Souto", "Louzao"]
        ),
        [NoteLanguage.Basque] = (
            ["Ainhoa", "Miren", "Itziar", "Nerea", "Amaia"],
            ["Iñaki", "Jon", "Xabier", "Aitor", "Mikel"],
            ["Etxeberria", "Agirre", "Goikoetxea", "Urrutia", "Zubiri", "Arrieta", "Elorza"]
        ),
    };

    public static (string Given, string Family1, string Family2) Pick(
        SeededRandom rng,
        bool female,
        NoteLanguage regionalLanguage
    )
    {
        var local = Regional.TryGetValue(regionalLanguage, out var names) && rng.Chance(0.4);
        var given = local ? rng.Pick(female ? names.Women : names.Men) : rng.Pick(female ? Women : Men);
        var family1 = local && rng.Chance(0.7) ? rng.Pick(names.Surnames) : rng.Pick(Surnames);
        var family2 =
            Regional.TryGetValue(regionalLanguage, out var n2) && rng.Chance(0.3)
                ? rng.Pick(n2.Surnames)
                : rng.Pick(Surnames);
        return (given, family1, family2);
    }
}
