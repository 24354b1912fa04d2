using Clinical.Models.Language;

namespace Clinical.Models.Training.Baselines;

/// <summary>
/// The NegEx-style baseline (Chapman et al., 2001), as a thin scorer over the clinical-language layer
/// (<see cref="MentionReader"/>): a note is positive when it holds a heart-failure mention about the patient,
/// affirmed or past (HF is chronic: "antecedentes de IC" is HF in this patient). The score then grows with the number
/// of such mentions, 1 - 2^-(n+1) (0.75, 0.875 ...), since repeated mentions make a stray reading less likely. A note
/// whose HF mentions are only hedged scores 0.5; one that discusses HF only to deny it, as a hypothesis or in a
/// relative scores 0.1, above a note that never names it (HF is discussed when it is suspected); none, 0.
/// </summary>
public static class NegationRule
{
    public static double Score(string text)
    {
        var mentions = MentionReader.Read(text).Where(m => m.Concept == ClinicalConcept.HeartFailure).ToList();
        var aboutThePatient = mentions.Count(m => m.AboutThePatient);
        return aboutThePatient > 0 ? 1 - Math.Pow(2, -(aboutThePatient + 1))
            : mentions.Any(m => m.Assertion == Assertion.Hedged) ? 0.5
            : mentions.Count > 0 ? 0.1
            : 0;
    }
}
