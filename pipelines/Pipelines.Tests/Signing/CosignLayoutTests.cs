using System.Text;
using Pipelines.Oci;
using Pipelines.Signing;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Signing;

/// <summary>The <c>.sig</c> manifest and config bytes, against cosign's wire trace.</summary>
public sealed class CosignLayoutTests
{
    private static string Trace(string name) => TestPaths.SharedFile("vectors", "cosign", "wire-trace-v1.13.1", name);

    [Fact]
    public void The_manifest_we_render_for_cosigns_layers_is_byte_identical_to_the_trace()
    {
        var traced = File.ReadAllBytes(Trace("manifest.json"));
        var config = File.ReadAllBytes(Trace("config.json"));

        var rendered = CosignManifest.Parse(traced).RenderManifest(config);

        Assert.Equal(Encoding.UTF8.GetString(traced), Encoding.UTF8.GetString(rendered));
        Assert.Equal("sha256:7ebe8964225fa4619b53aa35416ef0246c037e36ddf81776b21b15e1dda2262b", Digest.Compute(rendered));
    }

    [Fact]
    public void The_config_matches_the_trace_except_for_the_creation_time_cosign_no_longer_records()
    {
        var traced = Encoding.UTF8.GetString(File.ReadAllBytes(Trace("config.json")));
        var manifest = CosignManifest.Parse(File.ReadAllBytes(Trace("manifest.json")));

        var rendered = Encoding.UTF8.GetString(manifest.RenderConfig());

        Assert.Equal(traced.Replace("2023-02-17T09:25:33.91047962-08:00", "0001-01-01T00:00:00Z"), rendered);
    }

    [Fact]
    public void The_signature_tag_replaces_the_colon_of_the_digest()
    {
        Assert.Equal("sha256-" + new string('b', 64) + ".sig", CosignManifest.TagFor("sha256:" + new string('b', 64), "sig"));
    }

    [Fact]
    public void Annotations_land_in_the_optional_map_sorted_and_escaped_like_Go()
    {
        var payload = new SimpleSigningPayload("r.example/app", "sha256:" + new string('c', 64),
            new Dictionary<string, string> { ["z"] = "1", ["a"] = "<b>&" });

        var text = Encoding.UTF8.GetString(payload.ToBytes());

        Assert.EndsWith("\"optional\":{\"a\":\"\\u003cb\\u003e\\u0026\",\"z\":\"1\"}}", text);
        Assert.Equal("<b>&", SimpleSigningPayload.Parse(payload.ToBytes()).Payload.Annotations!["a"]);
    }

    [Fact]
    public void The_docker_reference_is_the_repository_without_tag_or_digest()
    {
        var image = ImageReference.Parse("127.0.0.1:5000/team/app:v1@sha256:" + new string('d', 64));

        Assert.Equal("127.0.0.1:5000/team/app", CosignSigner.DockerReference(image));
        Assert.Equal("index.docker.io/library/nginx", CosignSigner.DockerReference(ImageReference.Parse("nginx")));
    }

    [Fact]
    public void A_DSSE_PAE_spells_the_lengths_in_decimal_bytes()
    {
        var pae = DsseEnvelope.Pae("application/vnd.in-toto+json", Encoding.UTF8.GetBytes("héllo"));

        Assert.Equal("DSSEv1 28 application/vnd.in-toto+json 6 héllo", Encoding.UTF8.GetString(pae));
    }
}
