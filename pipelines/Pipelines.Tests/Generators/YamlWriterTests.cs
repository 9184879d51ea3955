using Pipelines.Generators;
using Pipelines.Tests.Support.JsonSchema;
using YamlDotNet.RepresentationModel;

namespace Pipelines.Tests.Generators;

public sealed class YamlWriterTests
{
    public static TheoryData<string> TrickyStrings =>
    [
        "on", "yes", "No", "true", "False", "null", "~", "", "0.1", "1e3", "0x1F", "0o17", "-1", "+1", ".5", ".inf",
        "--skip", "- x", "-", "a: b", "a #b", "#x", "key:", "it's", "\"q\"", "${{ secrets.X }}", "$(params.x)",
        "*alias", "&anchor", "!tag", "|", ">", "@at", "`tick", "%pct", "[a]", "{a}", "?q", ",c", "=", " lead", "trail ",
        "tab\there", "multi\nline\n", "multi\nline", "  indented\nfirst", "two\n\n", "a\r\nb", "café — ✓",
        "body.ref == 'refs/heads/main'", "always() && hashFiles('x') != ''",
    ];

    [Theory]
    [MemberData(nameof(TrickyStrings))]
    public void A_string_reads_back_as_the_same_string(string value)
    {
        var yaml = YamlWriter.Write([], new YamlMap { ["key"] = value, ["list"] = new[] { value } });

        var parsed = YamlToJson.Parse(yaml)!;

        Assert.Equal(value, parsed["key"]!.GetValue<string>());
        Assert.Equal(value, parsed["list"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("on")]
    [InlineData("off")]
    [InlineData("y")]
    public void A_YAML_1_1_boolean_word_is_quoted_so_kubectl_reads_a_string(string value)
    {
        var yaml = YamlWriter.Write([], new YamlMap { ["key"] = value });

        Assert.Equal($"key: '{value}'\n", yaml);
    }

    [Fact]
    public void Maps_nest_sequences_sit_at_their_key_and_documents_are_separated()
    {
        var yaml = YamlWriter.Write(["Generated"],
            new YamlMap { ["a"] = new YamlMap { ["b"] = 1, ["c"] = true, ["skipped"] = null }, ["items"] = new[] { new YamlMap { ["name"] = "x", ["value"] = "z" } }, ["empty"] = new YamlMap() },
            new YamlMap { ["uses"] = new CommentedValue("actions/checkout@abc", "v4.2.2") });

        Assert.Equal("""
            # Generated
            a:
              b: 1
              c: true
            items:
            - name: x
              value: z
            empty: {}
            ---
            uses: actions/checkout@abc # v4.2.2

            """, yaml);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        Assert.Equal(2, stream.Documents.Count);
    }
}
