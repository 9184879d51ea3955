using Pipelines.GitOps;
using Pipelines.Logging;
using Pipelines.Processes;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.GitOps;

public sealed class ImageSetterTests
{
    private static readonly ImageUpdate Shortlink = new("shortlink", "127.0.0.1:5000/shortlink", "1.4.0", ImageSetterGoldenTests.Digest);

    [Fact]
    public void An_image_that_is_not_referenced_is_an_error_naming_the_files_and_images_seen_and_nothing_is_written()
    {
        // Arrange
        using var work = new TempDirectory("gitops-setter");
        ImageSetterGoldenTests.CopyFolder(TestPaths.TestData("gitops", "workloads"), work.Path);
        var before = Directory.GetFiles(work.Path).ToDictionary(f => f, File.ReadAllBytes);
        var setter = new ImageSetter(ImageSetterGoldenTests.Options, new MemoryLog());

        // Act
        var error = Assert.Throws<PipelineException>(() => setter.Update(work.Path, new ImageUpdate("payments", null, "2.0.0", ImageSetterGoldenTests.Digest)));

        // Assert
        Assert.Contains("`payments`", error.Message);
        Assert.Contains("workloads.yaml", error.Message);
        Assert.Contains("Image names seen: busybox, envoyproxy/envoy, shortlink.", error.Message);
        foreach (var (file, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(file));
    }

    [Theory]
    [InlineData("resources:\n- path: [x.yaml\n", 3, 1)]
    [InlineData("images:\n- name: shortlink\n\tnewTag: old\n", 3, 1)]
    [InlineData("images:\n  - name: shortlink\n newTag: old\n", 3, 2)]
    public void A_yaml_syntax_error_names_the_file_line_column_and_the_error_and_nothing_is_written(string broken, int line, int column)
    {
        using var work = new TempDirectory("gitops-setter");
        File.WriteAllText(work.Combine("kustomization.yaml"), "images:\n- name: shortlink\n  newTag: old\n");
        File.WriteAllText(work.Combine("patch.yaml"), broken);
        var before = Directory.GetFiles(work.Path).ToDictionary(f => f, File.ReadAllBytes);
        var setter = new ImageSetter(ImageSetterOptions.Default, new MemoryLog());

        var error = Assert.Throws<PipelineException>(() => setter.Update(work.Path, Shortlink, "apps/shortlink/overlays/dev"));

        var expected = $"The manifests file `apps/shortlink/overlays/dev/patch.yaml:{line}:{column} (line {line}, column {column})` is not valid YAML: ";
        Assert.True(error.Message.StartsWith(expected, StringComparison.Ordinal), error.Message);
        Assert.DoesNotContain("(Line:", error.Message);
        Assert.DoesNotContain("add the image", error.Message);
        foreach (var (file, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(file));
    }

    [Fact]
    public void Helm_values_whose_tag_carries_another_policys_marker_are_refused_rather_than_half_updated()
    {
        using var work = new TempDirectory("gitops-setter");
        var values = "image:\n  repository: shortlink\n  tag: 1.0.0 # {\"$imagepolicy\": \"apps:shortlink:tag\"}\n  digest: sha256:" + new string('0', 64) + "\n";
        File.WriteAllText(work.Combine("values.yaml"), values);
        var setter = new ImageSetter(ImageSetterOptions.Default, new MemoryLog());

        var error = Assert.Throws<PipelineException>(() => setter.Update(work.Path, Shortlink with { NewName = null }));

        Assert.Contains("values.yaml:3 (image.tag) carries the Flux setter marker `apps:shortlink:tag`", error.Message);
        Assert.Contains("--image-policies apps:shortlink", error.Message);
        Assert.Equal(values, File.ReadAllText(work.Combine("values.yaml")));
    }

    [Fact]
    public void Helm_values_whose_tag_carries_our_policys_marker_get_tag_and_digest_together()
    {
        using var work = new TempDirectory("gitops-setter");
        File.WriteAllText(work.Combine("values.yaml"),
            "image:\n  repository: shortlink\n  tag: 1.0.0 # {\"$imagepolicy\": \"flux-system:shortlink:tag\"}\n  digest: sha256:" + new string('0', 64) + "\n");
        var setter = new ImageSetter(ImageSetterOptions.Default with { ImagePolicies = ["flux-system:shortlink"] }, new MemoryLog());

        setter.Update(work.Path, Shortlink with { NewName = null });

        Assert.Equal("image:\n  repository: shortlink\n  tag: 1.4.0 # {\"$imagepolicy\": \"flux-system:shortlink:tag\"}\n  digest: " + ImageSetterGoldenTests.Digest + "\n",
            File.ReadAllText(work.Combine("values.yaml")));
    }

    [Fact]
    public void An_image_inside_an_anchor_used_through_a_merge_key_is_refused_naming_the_anchor_even_when_another_file_holds_the_image()
    {
        using var work = new TempDirectory("gitops-setter");
        File.WriteAllText(work.Combine("kustomization.yaml"), "images:\n- name: shortlink\n  newTag: 1.0.0\n");
        var deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nx-common: &common\n  image: shortlink:1.0.0\n" +
                         "spec:\n  template:\n    spec:\n      containers:\n      - <<: *common\n        name: web\n";
        File.WriteAllText(work.Combine("deployment.yaml"), deployment);
        var before = Directory.GetFiles(work.Path).ToDictionary(f => f, File.ReadAllBytes);
        var setter = new ImageSetter(ImageSetterOptions.Default, new MemoryLog());

        var error = Assert.Throws<PipelineException>(() => setter.Update(work.Path, Shortlink with { NewName = null }));

        Assert.Contains("deployment.yaml:6 holds the image `shortlink:1.0.0` inside the YAML anchor `&common` (line 5)", error.Message);
        foreach (var (file, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(file));
    }

    [Fact]
    public void A_tag_that_would_read_back_as_a_number_is_quoted_in_a_plain_value()
    {
        // Arrange
        using var work = new TempDirectory("gitops-setter");
        File.WriteAllText(work.Combine("kustomization.yaml"), "images:\n- name: shortlink\n  newTag: latest # moving\n");
        var setter = new ImageSetter(ImageSetterOptions.Default, new MemoryLog());

        // Act
        setter.Update(work.Path, new ImageUpdate("shortlink", null, "1.10", null));

        // Assert
        Assert.Equal("images:\n- name: shortlink\n  newTag: \"1.10\" # moving\n", File.ReadAllText(work.Combine("kustomization.yaml")));
    }

    [Fact]
    public void A_byte_order_mark_and_a_missing_final_newline_survive_an_added_key()
    {
        // Arrange
        using var work = new TempDirectory("gitops-setter");
        var path = work.Combine("kustomization.yaml");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "images:\r\n  - name: 'shortlink'\r\n    newTag: '1.3.0'"u8.ToArray()]);
        var setter = new ImageSetter(ImageSetterOptions.Default, new MemoryLog());

        // Act
        var result = setter.Update(work.Path, Shortlink with { NewName = null });

        // Assert
        Assert.Equal(
            [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes("images:\r\n  - name: 'shortlink'\r\n    newTag: '1.4.0'\r\n    digest: '" + ImageSetterGoldenTests.Digest + "'")],
            File.ReadAllBytes(path));
        Assert.Equal(["kustomization.yaml"], result.ChangedFiles);
        Assert.Contains(result.Changes, c => c is { Field: "images[shortlink].digest", OldValue: null, Line: 4 });
    }

    [Fact]
    public void A_value_marked_for_another_flux_policy_is_left_to_that_policy()
    {
        // Arrange
        using var work = new TempDirectory("gitops-setter");
        const string text = "kind: Pod\nspec:\n  containers:\n  - name: a\n    image: shortlink:1.0 # {\"$imagepolicy\": \"flux-system:other\"}\n  - name: b\n    image: shortlink:1.0\n";
        File.WriteAllText(work.Combine("pod.yaml"), text);
        var setter = new ImageSetter(ImageSetterGoldenTests.Options, new MemoryLog());

        // Act
        setter.Update(work.Path, Shortlink);

        // Assert
        Assert.Equal(text.Replace("image: shortlink:1.0\n", $"image: 127.0.0.1:5000/shortlink:1.4.0@{ImageSetterGoldenTests.Digest}\n"),
            File.ReadAllText(work.Combine("pod.yaml")));
    }

    [RequiresKubectlFact]
    public async Task Kubectl_kustomize_renders_the_edited_overlay_as_repository_tag_and_digest()
    {
        // Arrange: a base Deployment and an overlay whose images entry the setter fills in.
        using var work = new TempDirectory("gitops-setter");
        Directory.CreateDirectory(work.Combine("base"));
        Directory.CreateDirectory(work.Combine("overlay"));
        File.WriteAllText(work.Combine("base", "kustomization.yaml"), "resources:\n- deployment.yaml\n");
        File.WriteAllText(work.Combine("base", "deployment.yaml"),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shortlink\nspec:\n  selector:\n    matchLabels: {app: shortlink}\n  template:\n" +
            "    metadata:\n      labels: {app: shortlink}\n    spec:\n      containers:\n      - name: api\n        image: shortlink\n");
        File.WriteAllText(work.Combine("overlay", "kustomization.yaml"),
            "resources:\n- ../base\nimages:\n- name: shortlink # set by Deploy\n  newTag: 1.3.0\n");
        new ImageSetter(ImageSetterOptions.Default, new MemoryLog()).Update(work.Combine("overlay"), Shortlink);

        // Act
        var rendered = await new Command("kubectl").WithArguments("kustomize", work.Combine("overlay")).WithOutput(OutputMode.Quiet).ExecuteAsync();

        // Assert
        rendered.EnsureSuccess();
        Assert.Contains($"image: 127.0.0.1:5000/shortlink:1.4.0@{ImageSetterGoldenTests.Digest}", rendered.StandardOutput);
    }
}
