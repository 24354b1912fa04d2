using System.Text.RegularExpressions;

namespace Clinical.Models.Scoring.Evidence;

/// <summary>
/// How Spanish, Catalan, Galician and Basque primary-care notes write HF signs (ESC 2021 Table 5),
/// their negation cues (NegEx, Chapman et al., J Biomed Inform 2001;34:301, adapted as in the Spanish
/// NUBes corpus, Lima et al., LREC 2020) and hedges. Basque marks a denied finding with the partitive
/// (-rik: "ez du ortopnearik", "edemarik ez") or with "ukatzen du" after it.
/// </summary>
internal static class SignLexicon
{
    private const RegexOptions Options =
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled;

    public static readonly IReadOnlyList<(HeartFailureSign Sign, Regex Pattern)> Terms =
    [
        (
            HeartFailureSign.ParoxysmalNocturnalDyspnoea,
            Term(
                @"DPN(?:rik)?|disp?nea paroxística nocturna|disp?nea nocturna|ahogo nocturno|ofec a la nit|"
                    + @"afogo pola noite|gaueko arnasestua|gauez itota esnatzen|se despierta por la noche con ahogo|"
                    + @"es desperta a la nit amb ofec|esperta pola noite con afogo"
            )
        ),
        (
            HeartFailureSign.Orthopnoea,
            Term(
                @"ortopnea\w*(?: de \d (?:almohadas|coixins|almofadas))?|duerme incorporad[oa]|"
                    + @"dorm incorporad[oa]|dorme incorporad[oa]|(?:varias|\d) almohadas|\d coixins|\d almofadas|"
                    + @"burukorekin lo egiten|eserita lo egiten|disnea al acostarse|ofec en estirar-se"
            )
        ),
        (
            HeartFailureSign.ExertionalDyspnoea,
            Term(
                @"disnea(?: de esfuerzo| a \w+ esfuerzos| al (?:subir|caminar|andar)(?: \w+){0,2})?|"
                    + @"dispnea(?: d['’]esforç| de esforzo| a \w+ esfor[çz]os| en pujar(?: \w+){0,2}|"
                    + @" ao subir(?: \w+){0,2})?|fatiga al caminar|ahogo al andar|se fatiga al subir escaleras|"
                    + @"es cansa en pujar escales|cánsase ao subir escaleiras|ofec en caminar|fatiga en caminar|"
                    + @"afogo ao camiñar|\w*arnasestu\w*|ibiltzean itotzea"
            )
        ),
        (
            HeartFailureSign.Oedema,
            Term(
                @"edem\w*|hinchazón de (?:tobillos|piernas)|piernas hinchadas|turmells inflats|nocelos inchados|"
                    + @"orkatil\w* puztuta"
            )
        ),
        (HeartFailureSign.Crackles, Term(@"crepitant\w*|krepitante\w*|estertores")),
        (
            HeartFailureSign.RaisedJugularPressure,
            Term(
                @"IY|IJ|RHY \+|RHJ \+|ingurgitación yugular|ingurgitació jugular|ingur?xitación xugular|"
                    + @"inchazón xugular|zain jugularren ingurgitazioa"
            )
        ),
        (
            HeartFailureSign.WeightGain,
            Term(
                @"aumento de (?:[\d.,]+ kg de )?peso|ganancia (?:de peso|ponderal)|"
                    + @"ha ganado (?:[\d.,]+ kg|peso)|augment de pes|ha guanyat (?:[\d.,]+ kg|pes)|"
                    + @"gañou (?:[\d.,]+ kg|peso)|pisua (?:igo|hartu)|pisu igoera|[\d.,]+ kg irabazi|\+[\d.,]+ kg|"
                    + @"peso [\d.,]+ kg por encima"
            )
        ),
        (
            HeartFailureSign.Nocturia,
            Term(
                @"nicturia|nictúria|niktoria\w*|levantarse a orinar por la noche|se levanta a orinar|"
                    + @"s['’]aixeca(?: \w+){0,2} a orinar|érguese a ouriñar|altxatzen da gernua egitera"
            )
        ),
        (
            HeartFailureSign.Fatigue,
            Term(
                @"astenia|astènia|cansancio|cansament|cansazo|nekea|erraz nekatzen|se nota más cansad[ao]|"
                    + @"es troba més cansad[ao]"
            )
        ),
    ];

    public static readonly Regex NegationBefore = new(
        @"\b(?:no presenta|no refiere|no refereix|non refire|ausencia de|absència de|niega|nega|non|no|sin|"
            + @"sense|sen|nin|ni|ez du|ez dago|ez da|ez)\b",
        Options
    );

    public static readonly Regex NegationAfter = new(
        @"^\w*?rik\b|^\s*(?:(?:ez|ukatzen)\b|:\s*(?:no|non|negativ\w*)\b|\(-\)|negativ\w*)",
        Options
    );

    public static readonly Regex PartitiveNegation = new(@"rik$", Options);

    public static readonly Regex Hedge = new(
        @"\b(?:probable\w*|posible\w*|possible\w*|sospecha de|sospita de|sospeita de|a descartar|descartar|"
            + @"dudos\w*|dubtós\w*|litekeena|baliteke|ziurrenik|susmoa|agian)\b|¿",
        Options
    );

    public static readonly Regex HedgeAfter = new(
        @"^[^.;\n]{0,25}?(?:\?|\ba descartar\b|\bdudos\w*|\bbaztertzeko\b)",
        Options
    );

    public static readonly Regex ScopeBreak = new(
        @"[.;:\n]|\b(?:pero|però|aunque|baina|con|amb|refiere|refereix|refire|presenta)\b",
        Options
    );

    private static Regex Term(string alternatives) => new($@"(?<![\w+]){alternatives}(?!\w)", Options);
}
