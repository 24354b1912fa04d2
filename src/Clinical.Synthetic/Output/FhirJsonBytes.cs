using System.Text.Encodings.Web;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Clinical.Synthetic.Output;

/// <summary>Firely's System.Text.Json serializer writing UTF-8 bytes; one instance per thread.</summary>
internal sealed class FhirJsonBytes : IDisposable
{
    private readonly BaseFhirJsonSerializer _serializer = new(ModelInfo.ModelInspector);
    private readonly MemoryStream _buffer = new();
    private readonly Utf8JsonWriter _compact;
    private readonly Utf8JsonWriter _indented;

    public FhirJsonBytes()
    {
        _compact = new Utf8JsonWriter(
            _buffer,
            new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }
        );
        _indented = new Utf8JsonWriter(
            _buffer,
            new JsonWriterOptions
            {
                Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                Indented = true,
                SkipValidation = true,
            }
        );
    }

    public byte[] Serialize(Resource resource, bool indented)
    {
        _buffer.SetLength(0);
        var writer = indented ? _indented : _compact;
        writer.Reset(_buffer);
        _serializer.Serialize(resource, writer);
        writer.Flush();
        return _buffer.ToArray();
    }

    public void Dispose()
    {
        _compact.Dispose();
        _indented.Dispose();
        _buffer.Dispose();
    }
}
