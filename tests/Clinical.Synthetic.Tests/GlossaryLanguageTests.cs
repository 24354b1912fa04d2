using Clinical.Models.Language;

namespace Clinical.Synthetic.Tests;

/// <summary>
/// The generator's glossaries read through the product's clinical-language layer: what a glossary offers as a present
/// sign must read as that sign affirmed, what it offers as a denied sign as that sign negated, in all four languages.
/// A phrase the layer misreads would teach the note models, and test the risk engine, with the wrong answer.
/// </summary>
public sealed class GlossaryLanguageTests
{
    private static readonly Dictionary<Sign, ClinicalConcept> HeartFailureSigns = new()
    {
        [Sign.ExertionalDyspnoea] = ClinicalConcept.ExertionalDyspnoea,
        [Sign.Orthopnoea] = ClinicalConcept.Orthopnoea,
        [Sign.NocturnalDyspnoea] = ClinicalConcept.ParoxysmalNocturnalDyspnoea,
        [Sign.AnkleOedema] = ClinicalConcept.Oedema,
        [Sign.Nocturia] = ClinicalConcept.Nocturia,
        [Sign.Fatigue] = ClinicalConcept.Fatigue,
        [Sign.WeightGain] = ClinicalConcept.WeightGain,
    };

    public static TheoryData<NoteLanguage> Languages() => new(Enum.GetValues<NoteLanguage>());

    [Theory]
    [MemberData(nameof(Languages))]
    public void Given_a_glossary_When_its_present_signs_are_read_Then_each_is_that_sign_affirmed(NoteLanguage language)
    {
        var vocabulary = NoteVocabulary.For(language);
        var phrases = HeartFailureSigns
            .SelectMany(s =>
                vocabulary
                    .SignPresent.GetValueOrDefault(s.Key, [])
                    .Concat(vocabulary.SymptomNoun[s.Key])
                    .Select(p => (p, s.Value))
            )
            .Concat(vocabulary.WeightGained.Select(p => (Fill(p), ClinicalConcept.WeightGain)))
            .Concat(vocabulary.LungsCrackles.Select(p => (p, ClinicalConcept.Crackles)))
            .Concat(
                vocabulary.OedemaPitting.Concat(vocabulary.OedemaNonPitting).Select(p => (p, ClinicalConcept.Oedema))
            )
            .Concat(vocabulary.JugularDistension.Select(p => (p, ClinicalConcept.RaisedJugularPressure)));

        AssertRead(phrases, Assertion.Affirmed);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Given_a_glossary_When_its_denied_signs_are_read_Then_each_is_that_sign_negated(NoteLanguage language)
    {
        var vocabulary = NoteVocabulary.For(language);
        var phrases = HeartFailureSigns
            .SelectMany(s => vocabulary.SignDenied.GetValueOrDefault(s.Key, []).Select(p => (p, s.Value)))
            .Concat(vocabulary.NoOedema.Select(p => (p, ClinicalConcept.Oedema)));

        AssertRead(phrases, Assertion.Negated);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Given_a_glossary_When_its_HF_impressions_are_read_Then_known_suspected_and_ruled_out_HF_read_so(
        NoteLanguage language
    )
    {
        var vocabulary = NoteVocabulary.For(language);
        IEnumerable<(string, ClinicalConcept)> Phrases(params Impression[] impressions) =>
            impressions.SelectMany(i => vocabulary.Impressions[i]).Select(p => (Fill(p), ClinicalConcept.HeartFailure));

        AssertRead(
            Phrases(Impression.HfDiagnosed, Impression.KnownHfStable, Impression.KnownHfWorse)
                .Concat(vocabulary.KnownHfTerms.Select(p => (Fill(p), ClinicalConcept.HeartFailure))),
            Assertion.Affirmed
        );
        AssertRead(Phrases(Impression.SuspectedHf), Assertion.Hedged);
        AssertRead(Phrases(Impression.HfRuledOut), Assertion.Negated);
    }

    private static string Fill(string template) => string.Format(null, template, "35", "FEVI reducida");

    private static void AssertRead(IEnumerable<(string Phrase, ClinicalConcept Concept)> phrases, Assertion expected)
    {
        var misread = phrases
            .Where(p => MentionReader.Read(p.Phrase).FirstOrDefault(m => m.Concept == p.Concept)?.Assertion != expected)
            .Select(p =>
                $"«{p.Phrase}» {p.Concept}: "
                + string.Join(", ", MentionReader.Read(p.Phrase).Select(m => $"{m.Concept} {m.Assertion}"))
            )
            .ToList();
        Assert.True(misread.Count == 0, $"Not read as {expected}:\n" + string.Join('\n', misread));
    }
}
