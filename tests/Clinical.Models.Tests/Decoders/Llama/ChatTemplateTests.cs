using Clinical.Models.Decoders.Llama;
using Clinical.Models.Text;

namespace Clinical.Models.Tests.Decoders.Llama;

public sealed class ChatTemplateTests(TinySalamandraFolder folder) : IClassFixture<TinySalamandraFolder>
{
    private NoteTokenizer Tokenizer => NoteTokenizer.Load(folder.Path);

    private long[] Ids(string text) => Tokenizer.Encode(text).Ids.Select(i => (long)i).ToArray();

    [Fact]
    public void Given_system_and_user_messages_When_rendered_Then_the_text_is_ChatML_with_the_generation_prompt()
    {
        var text = ChatTemplate.Render([
            ChatMessage.System("Eres un asistente."),
            ChatMessage.User("Resume la historia."),
        ]);

        Assert.Equal(
            "<|im_start|>system\nEres un asistente.<|im_end|>\n<|im_start|>user\nResume la "
                + "historia.<|im_end|>\n<|im_start|>assistant\n",
            text
        );
    }

    [Fact]
    public void Given_no_system_message_When_rendered_Then_the_default_system_message_comes_first()
    {
        var text = ChatTemplate.Render([ChatMessage.User("Hola")], addGenerationPrompt: false);

        Assert.Equal(
            $"<|im_start|>system\n{ChatTemplate.DefaultSystemPrompt}<|im_end|>\n<|im_start|>user\nHola<|im_end|>\n",
            text
        );
    }

    [Fact]
    public void Given_the_tiny_Salamandra_tokenizer_When_a_chat_is_encoded_Then_every_token_is_in_its_place()
    {
        var tokenizer = Tokenizer;

        var ids = ChatTemplate.Encode(
            tokenizer,
            [ChatMessage.System("Resumen de la historia."), ChatMessage.User("Refiere disnea.")]
        );

        long[] expected =
        [
            1,
            4,
            .. Ids("system\nResumen de la historia."),
            5,
            .. Ids("\n"),
            4,
            .. Ids("user\nRefiere disnea."),
            5,
            .. Ids("\n"),
            4,
            .. Ids("assistant\n"),
        ];
        Assert.Equal(expected, ids);
        Assert.Equal((4L, 5L), (tokenizer.Special.All["<|im_start|>"], tokenizer.Special.All["<|im_end|>"]));
        Assert.Equal(3, ids.Count(id => id == 4));
        Assert.Equal(
            "system\nResumen de la historia.",
            tokenizer.Decode(Ids("system\nResumen de la historia.").Select(i => (int)i))
        );
        Assert.DoesNotContain(ids.Skip(1), id => id is 1 or 2 or 3);
    }

    [Fact]
    public void Given_the_tiny_Salamandra_tokenizer_When_stop_ids_are_asked_Then_they_are_eos_2_and_im_end_5()
    {
        Assert.Equal([2L, 5L], ChatTemplate.StopTokenIds(Tokenizer));
    }

    [Fact]
    public void Given_a_tokenizer_without_bos_When_a_chat_is_encoded_Then_it_starts_with_im_start()
    {
        var copy = Directory.CreateTempSubdirectory("tiny-salamandra-nobos-").FullName;
        try
        {
            File.Copy(Path.Combine(folder.Path, "tokenizer.model"), Path.Combine(copy, "tokenizer.model"));
            File.WriteAllText(
                Path.Combine(copy, "tokenizer_config.json"),
                """{"add_bos_token": false, "add_eos_token": false}"""
            );

            var ids = ChatTemplate.Encode(NoteTokenizer.Load(copy), [ChatMessage.User("Hola")]);

            Assert.Equal(4, ids[0]);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
