using System.Text;
using Hl7.Fhir.Model;

namespace Clinical.Synthetic.Tests;

/// <summary>Null-safe reading of the generated POCOs in assertions.</summary>
internal static class FhirRead
{
    public static Quantity AsQuantity(this DataType? value) => Assert.IsType<Quantity>(value);

    public static double Number(this DataType? value) =>
        (double)(value.AsQuantity().Value ?? throw new InvalidOperationException("Quantity without a value"));

    public static string UnitCode(this DataType? value) => value.AsQuantity().Code ?? string.Empty;

    public static IEnumerable<Coding> Codings(this CodeableConcept? concept) => concept?.Coding ?? [];

    public static IEnumerable<Coding> Codings(this DataType? concept) => (concept as CodeableConcept).Codings();

    public static bool Has(this IEnumerable<Coding> codings, Func<string, string, bool> match) =>
        codings.Any(c => match(c.System ?? string.Empty, c.Code ?? string.Empty));

    public static string Text(this DocumentReference note) =>
        Encoding.UTF8.GetString(note.Content.Single().Attachment?.Data ?? []);
}
