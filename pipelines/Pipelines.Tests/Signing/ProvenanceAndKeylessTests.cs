using System.Text.Json.Nodes;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Signing;
using Pipelines.Tests.Support;
using Pipelines.Workspace;

namespace Pipelines.Tests.Signing;

public sealed class ProvenanceAndKeylessTests
{
    [Fact]
    public async Task Provenance_names_the_git_commit_the_builder_and_the_parameters()
    {
        using var repository = new TempDirectory("signing-provenance");
        await Git(repository.Path, "init", "-q");
        await Git(repository.Path, "remote", "add", "origin", "https://user:token123@git.example/team/app.git");
        await File.WriteAllTextAsync(repository.Combine("a.txt"), "a");
        await Git(repository.Path, "add", "a.txt");
        await Git(repository.Path, "commit", "-q", "-m", "a");
        var head = (await TestGit.OutputAsync(repository.Path, "rev-parse", "HEAD")).Trim();

        var source = await new SourceRevisionReader(new MemoryLog()).ReadAsync(repository.Path, CancellationToken.None);
        var predicate = new SlsaProvenance(SlsaProvenance.DefaultBuildType, "https://github.com/team/app/actions/runs/7", source,
            new Dictionary<string, string> { ["configuration"] = "Release" },
            DateTimeOffset.Parse("2026-11-22T01:00:00Z"), DateTimeOffset.Parse("2026-11-22T01:05:00Z"), "github-actions").ToPredicate();

        Assert.Equal(("https://git.example/team/app.git", head), (source!.Uri, source.Commit));
        Assert.Equal("https://git.example/team/app.git", source.Origin);
        Assert.Equal("https://github.com/team/app/actions/runs/7", predicate["runDetails"]!["builder"]!["id"]!.GetValue<string>());
        Assert.Equal(head, predicate["buildDefinition"]!["resolvedDependencies"]![0]!["digest"]!["gitCommit"]!.GetValue<string>());
        Assert.Equal("Release", predicate["buildDefinition"]!["externalParameters"]!["parameters"]!["configuration"]!.GetValue<string>());
        Assert.Equal("2026-11-22T01:05:00Z", predicate["runDetails"]!["metadata"]!["finishedOn"]!.GetValue<string>());
        Assert.DoesNotContain("token123", predicate.ToJsonString());
    }

    [Theory]
    [InlineData("/srv/repos/app", "git+file:///srv/repos/app")]
    [InlineData("git@github.com:team/app.git", "git+ssh://git@github.com/team/app.git")]
    [InlineData("https://user:token123@git.example/team/app.git", "git+https://git.example/team/app.git")]
    public async Task Provenance_source_URIs_are_RFC_3986_URIs_whatever_the_origin_looks_like(string origin, string expected)
    {
        using var repository = new TempDirectory("signing-origin");
        await Git(repository.Path, "init", "-q");
        await Git(repository.Path, "remote", "add", "origin", origin);
        await File.WriteAllTextAsync(repository.Combine("a.txt"), "a");
        await Git(repository.Path, "add", "a.txt");
        await Git(repository.Path, "commit", "-q", "-m", "a");

        var source = await new SourceRevisionReader(new MemoryLog()).ReadAsync(repository.Path, CancellationToken.None);
        var predicate = new SlsaProvenance(SlsaProvenance.DefaultBuildType, "local", source, new Dictionary<string, string>(),
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "terminal").ToPredicate();

        var uri = predicate["buildDefinition"]!["resolvedDependencies"]![0]!["uri"]!.GetValue<string>();
        Assert.Equal(expected, uri);
        Assert.True(Uri.TryCreate(uri[4..], UriKind.Absolute, out var parsed) && parsed.Scheme.Length > 0, uri);
    }

    [Fact]
    public async Task Outside_a_git_repository_provenance_has_no_source_and_says_so()
    {
        using var directory = new TempDirectory("signing-no-git");
        var log = new MemoryLog();

        var source = await new SourceRevisionReader(log).ReadAsync(directory.Path, CancellationToken.None);

        Assert.Null(source);
        Assert.Contains("not a git repository", log.Text);
    }

    [Fact]
    public void The_CycloneDX_SBOM_loads_and_a_non_CycloneDX_file_is_refused()
    {
        using var directory = new TempDirectory();
        var other = directory.Combine("other.json");
        File.WriteAllText(other, "{\"spdxVersion\":\"SPDX-2.3\"}");

        var sbom = CycloneDxSbom.Load(TestPaths.TestData("signing", "sbom.cdx.json"));

        Assert.Equal("1.6", sbom!["specVersion"]!.GetValue<string>());
        Assert.Null(CycloneDxSbom.Load(directory.Combine("missing.json")));
        Assert.Contains("not a CycloneDX document", Assert.Throws<PipelineException>(() => CycloneDxSbom.Load(other)).Message);
    }

    [Fact]
    public async Task Keyless_refuses_off_GitHub_Actions_before_doing_anything()
    {
        var signer = new KeylessSigner(new MemoryLog(), new Dictionary<string, string>());

        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            signer.SignAsync(ImageReference.Parse("127.0.0.1:5000/app@sha256:" + new string('a', 64)), CancellationToken.None));

        Assert.Contains("GitHub Actions", error.Message);
        Assert.Contains("--signing-key", error.Message);
    }

    [Fact]
    public void Keyless_on_GitHub_Actions_without_an_OIDC_token_names_the_missing_permission()
    {
        var signer = new KeylessSigner(new MemoryLog(), new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" });

        var error = Assert.Throws<PipelineException>(signer.EnsureAvailable);

        Assert.Contains("id-token: write", error.Message);
    }

    [Fact]
    public void Keyless_with_a_token_but_no_cosign_binary_names_the_installer()
    {
        var signer = new KeylessSigner(new MemoryLog(), new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["ACTIONS_ID_TOKEN_REQUEST_URL"] = "https://token.example",
        }, cosignExecutable: "cosign-that-is-not-installed");

        var error = Assert.Throws<PipelineException>(signer.EnsureAvailable);

        Assert.Contains("cosign-installer", error.Message);
    }

    [Fact]
    public void Required_attestation_names_map_to_predicate_types_and_unknown_names_are_refused()
    {
        var policy = VerificationPolicy.FromNames(["slsaprovenance1,cyclonedx"]);

        Assert.Equal([PredicateTypes.SlsaProvenanceV1, PredicateTypes.CycloneDx], policy.RequiredPredicateTypes);
        Assert.Contains("slsaprovenance1", Assert.Throws<PipelineException>(() => VerificationPolicy.FromNames(["sbom"])).Message);
    }

    private static Task Git(string directory, params string[] arguments) => TestGit.RunAsync(directory, arguments);
}
