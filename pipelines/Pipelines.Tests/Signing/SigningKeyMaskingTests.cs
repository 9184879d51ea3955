using Pipelines.Components;
using Pipelines.Signing;
using Pipelines.Targets;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Signing;

/// <summary>
/// --signing-key takes a key or its file: key material (PEM text, a base64-encoded key) is masked in the logs; a path is
/// shown as given (#27: paths are not secrets), whether or not the file exists yet.
/// </summary>
public sealed class SigningKeyMaskingTests
{
    private static ParameterDescriptor SigningKeyParameter =>
        ParameterDescriptor.Discover(typeof(GitOpsBuild)).Single(p => p.CliName == "signing-key");

    private static string Pem()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    [Fact]
    public void PEM_text_is_masked()
    {
        Assert.True(SigningKeyParameter.MasksValue(Pem()));
    }

    [Fact]
    public void A_base64_encoded_key_is_masked_even_with_slashes_in_it()
    {
        // What a CI variable often holds: `base64 -w0 cosign.key`, one line of the base64 alphabet ('/' included).
        var encoded = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(Pem()));
        var short64 = Convert.ToBase64String(Enumerable.Range(0, 48).Select(i => (byte)(i * 37 + 255)).ToArray());

        Assert.True(SigningKeyParameter.MasksValue(encoded));
        Assert.Contains('/', short64);
        Assert.True(short64.Length < 260);
        Assert.True(SigningKeyParameter.MasksValue(short64));
    }

    [Fact]
    public void An_existing_file_is_shown_whatever_its_name()
    {
        using var directory = new TempDirectory("signing-key-path");
        var file = directory.Combine("signing");
        File.WriteAllText(file, Pem());

        Assert.False(SigningKeyParameter.MasksValue(file));
    }

    [Theory]
    [InlineData("keys/cosign.key")]
    [InlineData("cosign.pem")]
    [InlineData(@"C:\ci\keys\release-signing")]
    public void A_missing_path_is_shown_as_given(string path)
    {
        Assert.False(File.Exists(path));
        Assert.False(SigningKeyParameter.MasksValue(path));
        Assert.True(KeyText.IsPlausiblePath(path));
    }

    [Theory]
    [InlineData("signing")]
    [InlineData("keys/cosign.key\nsecond line")]
    public void Anything_else_is_masked(string value)
    {
        Assert.True(SigningKeyParameter.MasksValue(value));
    }

    [Fact]
    public void A_long_one_line_value_is_masked_even_with_a_separator()
    {
        Assert.True(SigningKeyParameter.MasksValue("keys/" + new string('a', 300) + ".key"));
    }

    [Fact]
    public void Loading_a_base64_encoded_key_fails_without_naming_it()
    {
        var encoded = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(Pem()));

        var error = Assert.Throws<PipelineException>(() => SigningKey.Load(encoded, ""));

        Assert.DoesNotContain(encoded, error.Message);
        Assert.Contains("base64 -d", error.Message);
    }
}
