using Pipelines.Oci;

namespace Pipelines.Tests.Containers;

public class ImageReferenceTests
{
    private const string Hex = "4c1c50d0ffc614f90b93b07d778028dc765548e823f676fb027f61d281ac380d";
    private const string Sha = "sha256:" + Hex;

    [Theory]
    [InlineData("nginx", "docker.io", "library/nginx", null, null, "docker.io/library/nginx")]
    [InlineData("nginx:1.27", "docker.io", "library/nginx", "1.27", null, "docker.io/library/nginx:1.27")]
    [InlineData("bitnami/nginx", "docker.io", "bitnami/nginx", null, null, "docker.io/bitnami/nginx")]
    [InlineData("docker.io/nginx", "docker.io", "library/nginx", null, null, "docker.io/library/nginx")]
    [InlineData("index.docker.io/library/nginx:latest", "docker.io", "library/nginx", "latest", null, "docker.io/library/nginx:latest")]
    [InlineData("index.docker.io/chihjenhuang/cosign1", "docker.io", "chihjenhuang/cosign1", null, null, "docker.io/chihjenhuang/cosign1")]
    [InlineData("localhost/app", "localhost", "app", null, null, "localhost/app")]
    [InlineData("localhost:5000/app:dev", "localhost:5000", "app", "dev", null, "localhost:5000/app:dev")]
    [InlineData("127.0.0.1:5000/shortlink:abc1234", "127.0.0.1:5000", "shortlink", "abc1234", null, "127.0.0.1:5000/shortlink:abc1234")]
    [InlineData("[::1]:5000/shortlink", "[::1]:5000", "shortlink", null, null, "[::1]:5000/shortlink")]
    [InlineData("ghcr.io/org/team/sub/app:v1.2.3", "ghcr.io", "org/team/sub/app", "v1.2.3", null, "ghcr.io/org/team/sub/app:v1.2.3")]
    [InlineData("registry.cn-shanghai.aliyuncs.com/team/app", "registry.cn-shanghai.aliyuncs.com", "team/app", null, null, "registry.cn-shanghai.aliyuncs.com/team/app")]
    [InlineData("myinst-registry.cn-hangzhou.cr.aliyuncs.com/ns/app:main", "myinst-registry.cn-hangzhou.cr.aliyuncs.com", "ns/app", "main", null, "myinst-registry.cn-hangzhou.cr.aliyuncs.com/ns/app:main")]
    [InlineData("Registry.Example.com/a_b/c-d/e.f/g__h", "registry.example.com", "a_b/c-d/e.f/g__h", null, null, "registry.example.com/a_b/c-d/e.f/g__h")]
    [InlineData("app:v1_RC-2.x", "docker.io", "library/app", "v1_RC-2.x", null, "docker.io/library/app:v1_RC-2.x")]
    [InlineData("a--b", "docker.io", "library/a--b", null, null, "docker.io/library/a--b")]
    public void A_reference_without_digest_is_normalized(string input, string registry, string repository, string? tag, string? digest, string canonical)
    {
        var reference = ImageReference.Parse(input);

        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal(canonical, reference.ToString());
    }

    [Theory]
    [InlineData("nginx@" + Sha, "docker.io/library/nginx", null)]
    [InlineData("127.0.0.1:5000/shortlink@" + Sha, "127.0.0.1:5000/shortlink", null)]
    [InlineData("127.0.0.1:5000/shortlink:abc1234@" + Sha, "127.0.0.1:5000/shortlink", "abc1234")]
    [InlineData("myinst-registry.cn-hangzhou.cr.aliyuncs.com/ns/app:v1@" + Sha, "myinst-registry.cn-hangzhou.cr.aliyuncs.com/ns/app", "v1")]
    public void A_reference_with_a_digest_keeps_the_digest_and_the_tag(string input, string repositoryUrl, string? tag)
    {
        var reference = ImageReference.Parse(input);

        Assert.Equal(repositoryUrl, reference.RepositoryUrl);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(Sha, reference.Digest);
        Assert.True(reference.HasDigest);
        Assert.Equal(Sha, reference.ManifestReference);
        Assert.Equal(repositoryUrl + (tag is null ? "" : ":" + tag) + "@" + Sha, reference.ToString());
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("   ", "it is empty")]
    [InlineData("my app", "contains whitespace")]
    [InlineData("Nginx", "uppercase")]
    [InlineData("ghcr.io/Org/app", "uppercase")]
    [InlineData("127.0.0.1:5000/app@sha256:abc", "3 hex digits instead of 64")]
    [InlineData("app@md5:" + Hex, "algorithm 'md5' is not supported")]
    [InlineData("app@sha256:" + "4C1C50D0FFC614F90B93B07D778028DC765548E823F676FB027F61D281AC380D", "lowercase hex")]
    [InlineData("app@" + Hex, "no algorithm prefix")]
    [InlineData("127.0.0.1:99999/app", "port '99999'")]
    [InlineData("127.0.0.1:0/app", "port '0'")]
    [InlineData("localhost:http/app", "port 'http'")]
    [InlineData("app:", "the tag '' is not valid")]
    [InlineData("app:-bad", "the tag '-bad' is not valid")]
    [InlineData("ghcr.io/", "repository name after 'ghcr.io/' is missing")]
    [InlineData("ghcr.io//app", "empty path component")]
    [InlineData("ghcr.io/team/-app", "component '-app' is not valid")]
    [InlineData("ghcr.io/team/app_", "component 'app_' is not valid")]
    [InlineData("-bad.example.com/app", "host name")]
    [InlineData("[::1/app", "unclosed '['")]
    [InlineData("[zz]:5000/app", "not a valid IPv6 address")]
    [InlineData(":tag", "repository name is missing")]
    public void An_invalid_reference_is_rejected_naming_the_reference_and_the_problem(string input, string problem)
    {
        var error = Assert.Throws<PipelineException>(() => ImageReference.Parse(input));

        Assert.Contains($"'{input}'", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_name_longer_than_255_characters_is_rejected()
    {
        var input = "ghcr.io/" + new string('a', 250);

        var error = Assert.Throws<PipelineException>(() => ImageReference.Parse(input));

        Assert.Contains("the limit is 255", error.Message);
    }

    [Fact]
    public void A_tag_longer_than_128_characters_is_rejected()
    {
        Assert.Throws<PipelineException>(() => ImageReference.Parse("app:" + new string('t', 129)));
        Assert.Equal(128, ImageReference.Parse("app:" + new string('t', 128)).Tag!.Length);
    }

    [Fact]
    public void WithTag_and_WithDigest_return_new_references_and_keep_the_other_part()
    {
        var reference = ImageReference.Parse("127.0.0.1:5000/shortlink:old");

        var pinned = reference.WithDigest(Sha);
        var retagged = pinned.WithTag("new");

        Assert.Equal("127.0.0.1:5000/shortlink:old", reference.ToString());
        Assert.Equal("127.0.0.1:5000/shortlink:old@" + Sha, pinned.ToString());
        Assert.Equal("127.0.0.1:5000/shortlink:new@" + Sha, retagged.ToString());
        Assert.Equal("127.0.0.1:5000/shortlink", retagged.WithoutTagOrDigest().ToString());
    }

    [Fact]
    public void WithTag_and_WithDigest_reject_invalid_values()
    {
        var reference = ImageReference.Parse("127.0.0.1:5000/shortlink");

        Assert.Contains("Tag 'a b'", Assert.Throws<PipelineException>(() => reference.WithTag("a b")).Message);
        Assert.Contains("sha256:12", Assert.Throws<PipelineException>(() => reference.WithDigest("sha256:12")).Message);
    }

    [Theory]
    [InlineData("nginx", "nginx")]
    [InlineData("docker.io/bitnami/nginx", "bitnami/nginx")]
    [InlineData("127.0.0.1:5000/team/app", "127.0.0.1:5000/team/app")]
    public void The_familiar_name_drops_the_docker_hub_defaults(string input, string familiar)
    {
        Assert.Equal(familiar, ImageReference.Parse(input).FamiliarName);
    }

    [Fact]
    public void A_reference_without_tag_or_digest_asks_for_latest()
    {
        Assert.Equal("latest", ImageReference.Parse("nginx").ManifestReference);
        Assert.Equal("v1", ImageReference.Parse("nginx:v1").ManifestReference);
    }

    [Fact]
    public void Parsed_references_are_equal_by_value()
    {
        Assert.Equal(ImageReference.Parse("nginx:1"), ImageReference.Parse("index.docker.io/library/nginx:1"));
    }

    [Theory]
    [InlineData("127.0.0.1:5000", "shortlink", "127.0.0.1:5000/shortlink:t")]
    [InlineData("registry.cn-hangzhou.aliyuncs.com/team/", "shortlink", "registry.cn-hangzhou.aliyuncs.com/team/shortlink:t")]
    [InlineData("docker.io/someone", "shortlink", "docker.io/someone/shortlink:t")]
    public void Create_joins_a_registry_with_namespace_and_a_repository(string registry, string repository, string expected)
    {
        Assert.Equal(expected, ImageReference.Create(registry, repository, "t").ToString());
    }

    [Fact]
    public void Create_rejects_a_registry_that_is_not_a_host()
    {
        var error = Assert.Throws<PipelineException>(() => ImageReference.Create("team", "shortlink"));

        Assert.Contains("Registry 'team' is not a registry host", error.Message);
    }
}
