using System.Text;
using Pipelines.Oci;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Containers;

public class DigestTests
{
    [Fact]
    public void The_digest_of_the_cosign_wire_trace_payload_matches_the_registry()
    {
        var payload = File.ReadAllBytes(TestPaths.SharedFile("vectors", "cosign", "wire-trace-v1.13.1", "payload.json"));

        Assert.Equal("sha256:b671489ededd1a180bd87235bba00fd83354f9c7d13b71d9f8b66a8e52965ebc", Digest.Compute(payload));
        Assert.True(Digest.Matches(payload, "sha256:b671489ededd1a180bd87235bba00fd83354f9c7d13b71d9f8b66a8e52965ebc"));
    }

    [Fact]
    public async Task The_stream_digest_equals_the_byte_digest()
    {
        var bytes = Encoding.UTF8.GetBytes("hello");

        var fromStream = await Digest.ComputeAsync(new MemoryStream(bytes));

        Assert.Equal("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", fromStream);
        Assert.Equal(Digest.Compute(bytes), fromStream);
    }

    [Theory]
    [InlineData("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", true)]
    [InlineData("sha256:2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824", false)]
    [InlineData("sha512:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", false)]
    [InlineData("sha256:2cf24d", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_sha256_with_64_lowercase_hex_digits_is_valid(string? digest, bool valid)
    {
        Assert.Equal(valid, Digest.IsValid(digest));
    }

    [Fact]
    public void Validate_names_the_input_and_the_expected_form()
    {
        var error = Assert.Throws<PipelineException>(() => Digest.Validate("sha256:xyz", "IMAGE_DIGEST"));

        Assert.Contains("IMAGE_DIGEST 'sha256:xyz'", error.Message);
        Assert.Contains("64 lowercase hex digits", error.Message);
    }
}
