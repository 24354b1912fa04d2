using Clinical.DevTools.Checkpoints;
using Clinical.Models.Encoders.Roberta;
using Clinical.Models.Tests.Text;

namespace Clinical.Models.Tests.Encoders.Roberta;

/// <summary>A temp folder holding a random tiny RoBERTa classifier in Hugging Face format.</summary>
internal sealed class TinyRoberta : IDisposable
{
    public TinyRoberta(TinyRobertaOptions? options = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("tiny-roberta-").FullName;
        Config = TinyRobertaCheckpoint.Write(Directory, ClinicalTexts.Corpus, options);
    }

    public string Directory { get; }

    public RobertaConfig Config { get; }

    public string PathOf(string file) => Path.Combine(Directory, file);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
