using System.Text.RegularExpressions;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Terminology;

namespace Clinical.Fhir.Tests.Terminology;

public sealed partial class DrugLexiconTests
{
    [Theory]
    [InlineData("C03CA01", DrugClass.LoopDiuretic)]
    [InlineData("c03da01", DrugClass.MineralocorticoidAntagonist)]
    [InlineData("C09DX04", DrugClass.SacubitrilValsartan)]
    [InlineData("C09AA07", DrugClass.AceInhibitor)]
    [InlineData("C09DA01", DrugClass.AngiotensinReceptorBlocker)]
    [InlineData("A10BD15", DrugClass.Sglt2Inhibitor)]
    public void Given_an_ATC_code_When_classified_Then_its_class_is_found_by_prefix(string code, DrugClass expected)
    {
        Assert.Equal(expected, DrugLexicon.Classify(DrugLexicon.AtcSystem, code, null));
    }

    [Theory]
    [InlineData("4603", DrugClass.LoopDiuretic)]
    [InlineData("9997", DrugClass.MineralocorticoidAntagonist)]
    [InlineData("1656339", DrugClass.SacubitrilValsartan)]
    [InlineData("52175", DrugClass.AngiotensinReceptorBlocker)]
    public void Given_an_RxNorm_code_When_classified_Then_its_ingredient_or_product_gives_the_class(
        string code,
        DrugClass expected
    )
    {
        Assert.Equal(expected, DrugLexicon.Classify(DrugLexicon.RxNormSystem, code, null));
    }

    [Theory]
    [InlineData("Furosemide 40 MG Oral Tablet", DrugClass.LoopDiuretic)]
    [InlineData("FUROSEMIDA 40 mg comprimidos", DrugClass.LoopDiuretic)]
    [InlineData("Seguril 40 mg", DrugClass.LoopDiuretic)]
    [InlineData("Espironolaktona 25 mg", DrugClass.MineralocorticoidAntagonist)]
    [InlineData("Losartan potásico 50 mg", DrugClass.AngiotensinReceptorBlocker)]
    [InlineData("Sacubitrilo/Valsartán 49/51 mg", DrugClass.SacubitrilValsartan)]
    [InlineData("Entresto 24 mg/26 mg", DrugClass.SacubitrilValsartan)]
    [InlineData("Amlodipina 5 mg", DrugClass.CalciumChannelBlockerDihydropyridine)]
    [InlineData("diürètic de nansa", DrugClass.LoopDiuretic)]
    public void Given_a_drug_named_in_any_language_When_classified_by_name_Then_accents_and_case_do_not_matter(
        string text,
        DrugClass expected
    )
    {
        Assert.Equal(expected, DrugLexicon.ClassifyByName(text));
    }

    [Theory]
    [InlineData("Hidroclorotiazida 25 mg")]
    [InlineData("Metformina 850 mg")]
    [InlineData("diurético")]
    [InlineData("Antienalaprilico")]
    public void Given_a_drug_outside_the_HF_classes_or_a_longer_word_When_classified_by_name_Then_none(string text)
    {
        Assert.Null(DrugLexicon.ClassifyByName(text));
    }

    [Fact]
    public void Given_the_lexicon_When_read_Then_codes_are_unique_well_formed_and_under_their_class()
    {
        Assert.Equal(DrugLexicon.All.Count, DrugLexicon.All.Select(e => e.Atc).Distinct().Count());
        foreach (var entry in DrugLexicon.All)
        {
            Assert.Matches(AtcCode(), entry.Atc);
            if (entry.RxNorm is { } rxNorm)
                Assert.Matches(RxNormCode(), rxNorm);
            if (entry.Class is { } drugClass && entry.Atc.Length == 7)
                Assert.Equal(drugClass, DrugLexicon.Classify(DrugLexicon.AtcSystem, entry.Atc, null));
            if (entry.Class is { } byRxNorm && entry.RxNorm is { } code)
                Assert.Equal(byRxNorm, DrugLexicon.Classify(DrugLexicon.RxNormSystem, code, null));
            Assert.Same(entry, DrugLexicon.ByAtc(entry.Atc));
        }
    }

    [Fact]
    public void Given_a_drug_with_names_per_language_When_named_Then_each_language_has_its_own_or_the_Castilian()
    {
        Assert.Equal("furosemida", DrugLexicon.Furosemide.Name("es"));
        Assert.Equal("furosemide", DrugLexicon.Furosemide.Name("en"));
        Assert.Equal("amlodipina", DrugLexicon.Amlodipine.Name("ca"));
        Assert.Equal("amlodipino", DrugLexicon.Amlodipine.Name("gl"));
        Assert.Equal("espironolaktona", DrugLexicon.Spironolactone.Name("eu"));
        Assert.Contains("Entresto", DrugLexicon.SacubitrilValsartan.Spellings);
    }

    [GeneratedRegex(@"^[A-Z]\d\d(?:[A-Z](?:[A-Z](?:\d\d)?)?)?$")]
    private static partial Regex AtcCode();

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex RxNormCode();
}
