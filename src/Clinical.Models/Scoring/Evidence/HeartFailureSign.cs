namespace Clinical.Models.Scoring.Evidence;

/// <summary>Symptoms and signs of HF (ESC 2021, Table 5) that primary-care notes record.</summary>
public enum HeartFailureSign
{
    ExertionalDyspnoea,
    Orthopnoea,
    ParoxysmalNocturnalDyspnoea,
    Oedema,
    Crackles,
    RaisedJugularPressure,
    WeightGain,
    Nocturia,
    Fatigue,
}

public enum Assertion
{
    Present,
    Negated,
    Uncertain,
}

/// <summary>
/// A sign found in a note: the exact characters [Start, Start + Length) of the note text, and whether it was affirmed,
/// denied or hedged.
/// </summary>
public sealed record SignMention(
    HeartFailureSign Sign,
    Assertion Assertion,
    int Start,
    int Length,
    string Text,
    string Language
);

public static class HeartFailureSignNames
{
    public static string Spanish(this HeartFailureSign sign) =>
        sign switch
        {
            HeartFailureSign.ExertionalDyspnoea => "disnea de esfuerzo",
            HeartFailureSign.Orthopnoea => "ortopnea",
            HeartFailureSign.ParoxysmalNocturnalDyspnoea => "disnea paroxística nocturna",
            HeartFailureSign.Oedema => "edemas",
            HeartFailureSign.Crackles => "crepitantes",
            HeartFailureSign.RaisedJugularPressure => "ingurgitación yugular",
            HeartFailureSign.WeightGain => "aumento de peso",
            HeartFailureSign.Nocturia => "nicturia",
            HeartFailureSign.Fatigue => "astenia",
            _ => throw new ArgumentOutOfRangeException(nameof(sign), sign, null),
        };
}
