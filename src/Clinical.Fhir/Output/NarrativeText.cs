using System.Text;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Output;

/// <summary>
/// The human-readable narrative of an emitted resource (R4 §2.4 Narrative, dom-6): generated from the same texts the
/// resource carries, one paragraph each, XML-escaped inside an XHTML div.
/// </summary>
public static class NarrativeText
{
    public static Narrative Generated(params string[] paragraphs)
    {
        var div = new StringBuilder("<div xmlns=\"http://www.w3.org/1999/xhtml\">");
        foreach (var paragraph in paragraphs.Where(p => !string.IsNullOrWhiteSpace(p)))
            div.Append("<p>").Append(Escape(paragraph)).Append("</p>");
        div.Append("</div>");
        return new Narrative { Status = Narrative.NarrativeStatus.Generated, Div = div.ToString() };
    }

    /// <summary>Escapes XML's markup characters; line breaks become spaces (a paragraph is one line).</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            escaped.Append(
                c switch
                {
                    '&' => "&amp;",
                    '<' => "&lt;",
                    '>' => "&gt;",
                    '"' => "&quot;",
                    '\r' or '\n' or '\t' => " ",
                    _ when char.IsControl(c) => "",
                    _ => c.ToString(),
                }
            );
        }
        return escaped.ToString();
    }
}
