using Pipelines.Oci;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Registry;

public class OciJsonTests
{
    private static byte[] Vector(string file) => File.ReadAllBytes(TestPaths.SharedFile("vectors", "cosign", "wire-trace-v1.13.1", file));

    [Fact]
    public void A_manifest_built_from_the_model_matches_cosign_byte_for_byte()
    {
        var manifest = new OciManifest
        {
            Config = Descriptor.For(MediaTypes.OciConfig, Vector("config.json")),
            Layers =
            [
                Descriptor.For("application/vnd.dev.cosign.simplesigning.v1+json", Vector("payload.json"), new Dictionary<string, string>
                {
                    ["dev.cosignproject.cosign/signature"] = "MEYCIQCPH7NJAIfrB6BZN91dV0o7l/i11muXrvrAh100jDMMhAIhAPsLH0oXb2OPITXRpWBMUd3vHtz5Ks5pql2Hr6t/IJXw",
                }),
            ],
        };

        var raw = RawManifest.From(manifest);

        Assert.Equal(Vector("manifest.json"), raw.Content);
        Assert.Equal("sha256:7ebe8964225fa4619b53aa35416ef0246c037e36ddf81776b21b15e1dda2262b", raw.Digest);
    }

    [Fact]
    public void A_parsed_manifest_serializes_back_to_the_same_bytes()
    {
        var raw = RawManifest.FromBytes(MediaTypes.OciManifest, Vector("manifest.json"));

        var again = RawManifest.From(raw.ParseManifest());

        Assert.Equal(raw.Content, again.Content);
    }

    [Fact]
    public void Annotations_are_written_in_sorted_key_order()
    {
        var index = new OciIndex { Annotations = new Dictionary<string, string> { ["z"] = "1", ["a"] = "<&>" } };

        var json = System.Text.Encoding.UTF8.GetString(OciJson.Serialize(index));

        Assert.Equal("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"annotations":{"a":"<&>","z":"1"}}""", json);
    }

    [Fact]
    public void Parsing_an_index_as_a_manifest_says_which_it_is()
    {
        var raw = RawManifest.From(new OciIndex());

        var error = Assert.Throws<PipelineException>(() => raw.ParseManifest());

        Assert.Contains("is an index", error.Message);
    }

    [Fact]
    public void Malformed_manifest_json_is_a_clear_error()
    {
        var raw = RawManifest.FromBytes(MediaTypes.OciManifest, "{\"schemaVersion\":2,"u8.ToArray());

        var error = Assert.Throws<PipelineException>(() => raw.ParseManifest());

        Assert.Contains($"Manifest {raw.Digest} is not valid JSON", error.Message);
    }
}
