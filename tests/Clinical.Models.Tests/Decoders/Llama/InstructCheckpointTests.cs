using System.Text.Json.Nodes;
using Clinical.DevTools.Checkpoints;
using Clinical.Models.Decoders.Llama;
using Clinical.Models.Runtime;
using Clinical.Models.Summaries;

namespace Clinical.Models.Tests.Decoders.Llama;

public sealed class InstructCheckpointTests(TinySalamandraFolder tiny)
    : IClassFixture<TinySalamandraFolder>,
        IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("instruct-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The tiny model copied under a name, with its tokenizer_config.json edited.</summary>
    private string Copy(string name, Action<JsonObject>? editTokenizerConfig = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        foreach (var file in Directory.EnumerateFiles(tiny.Path))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        var configPath = Path.Combine(folder, "tokenizer_config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        editTokenizerConfig?.Invoke(config);
        File.WriteAllText(configPath, config.ToJsonString());
        return folder;
    }

    [Theory]
    [InlineData("salamandra-7b")]
    [InlineData("ALIA-40b")]
    public void Given_a_base_release_even_with_a_chat_template_When_loaded_Then_it_is_refused_saying_why(string name)
    {
        var folder = Copy(name);

        var error = Assert.Throws<UnsuitableModelException>(() =>
            AbstractiveSummarizer.Load(folder, ComputeTarget.Cpu, DrugVocabulary.Empty)
        );

        Assert.Contains("looks like a base model", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{name}' is the name of a base", error.Message, StringComparison.Ordinal);
        Assert.Contains("AllowBaseSummarizerModel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_base_release_When_loaded_with_base_models_allowed_Then_it_loads()
    {
        var folder = Copy("salamandra-2b");

        using var summarizer = AbstractiveSummarizer.Load(
            folder,
            ComputeTarget.Cpu,
            DrugVocabulary.Empty,
            allowBaseModel: true
        );

        Assert.Equal("salamandra-2b", summarizer.ModelName);
    }

    [Theory]
    [InlineData("fine-tune", true, true)]
    [InlineData("fine-tune", false, false)]
    [InlineData("salamandra-7b-instruct", false, true)]
    [InlineData("alia-40b-it", false, true)]
    [InlineData("my-chat-model", false, true)]
    [InlineData("italian-notes", false, false)]
    public void Given_name_and_template_When_inspected_Then_the_rule_decides(string name, bool template, bool instruct)
    {
        var folder = Copy(
            name,
            config =>
            {
                if (!template)
                    config.Remove("chat_template");
            }
        );

        Assert.Equal(instruct, InstructCheckpoint.Inspect(folder).IsInstruct);
    }

    [Fact]
    public void Given_config_name_or_path_When_inspected_Then_it_wins_over_the_folder_name()
    {
        var folder = Copy("checkpoint-1200", config => config.Remove("chat_template"));
        var configPath = Path.Combine(folder, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        config["_name_or_path"] = "BSC-LT/salamandra-7b-instruct";
        File.WriteAllText(configPath, config.ToJsonString());

        var verdict = InstructCheckpoint.Inspect(folder);

        Assert.True(verdict.IsInstruct);
        Assert.Equal("salamandra-7b-instruct", verdict.Name);
    }

    [Fact]
    public void Given_a_llama_3_chat_template_When_loaded_Then_it_is_refused_as_not_chatml()
    {
        var folder = Copy(
            "llama-3-instruct",
            config =>
                config["chat_template"] =
                    "{% for message in messages %}{{ '<|start_header_id|>' + message['role']"
                    + " + '<|end_header_id|>\\n\\n' + message['content'] + '<|eot_id|>' }}{% endfor %}"
        );

        var error = Assert.Throws<UnsuitableModelException>(() =>
            AbstractiveSummarizer.Load(folder, ComputeTarget.Cpu, DrugVocabulary.Empty)
        );

        Assert.Contains("is not ChatML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_template_with_double_quotes_and_dotted_access_When_checked_Then_it_is_chatml()
    {
        var folder = Copy(
            "qwen-like-instruct",
            config =>
                config["chat_template"] =
                    "{% for message in messages %}{{ \"<|im_start|>\" + message.role + \"\\n\" + message.content"
                    + " + \"<|im_end|>\\n\" }}{% endfor %}"
                    + "{% if add_generation_prompt %}{{ \"<|im_start|>assistant\\n\" }}{% endif %}"
        );

        Assert.Equal(ChatTemplate.DefaultSystemPrompt, ChatTemplate.CheckTemplate(folder));
    }

    [Fact]
    public void Given_template_with_a_literal_default_system_message_When_rendered_without_one_Then_it_is_used()
    {
        var defaultSystem = ChatTemplate.CheckTemplate(tiny.Path);

        var text = ChatTemplate.Render([ChatMessage.User("Hola")], defaultSystem: defaultSystem);

        Assert.Equal("I am a tiny test model.", defaultSystem);
        Assert.Equal(
            "<|im_start|>system\nI am a tiny test model.<|im_end|>\n<|im_start|>user\nHola<|im_end|>\n"
                + "<|im_start|>assistant\n",
            text
        );
        Assert.Contains("chat_template", File.ReadAllText(Path.Combine(tiny.Path, "tokenizer_config.json")));
        Assert.Equal(TinySalamandra.ChatMlTemplate, ChatTemplate.ReadTemplate(tiny.Path));
    }
}
