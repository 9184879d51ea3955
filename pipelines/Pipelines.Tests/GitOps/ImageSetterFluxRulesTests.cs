using Pipelines.GitOps;
using Pipelines.Logging;
using Pipelines.Processes;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.GitOps;

/// <summary>
/// Where the setter follows Flux's image-automation setter (markers, dangling links) and <c>kustomize edit set
/// image</c> (a tag or a digest alone replaces the entry's version), and never claims a digest it did not write.
/// </summary>
public sealed class ImageSetterFluxRulesTests
{
    private const string Digest = ImageSetterGoldenTests.Digest;
    private static readonly ImageUpdate Shortlink = new("shortlink", null, "1.4.0", Digest);
    private static readonly ImageSetterOptions WithPolicy = ImageSetterOptions.Default with { ImagePolicies = ["flux-system:shortlink"] };

    [Fact]
    public void A_dangling_symbolic_link_is_skipped_and_named_while_the_other_files_are_updated()
    {
        using var work = new TempDirectory("gitops-setter");
        File.WriteAllText(work.Combine("kustomization.yaml"), "images:\n- name: shortlink\n  newTag: 1.0.0\n");
        File.CreateSymbolicLink(work.Combine("gone.yaml"), "does-not-exist.yaml");
        var log = new MemoryLog();

        new ImageSetter(ImageSetterOptions.Default, log).Update(work.Path, Shortlink, "apps/shortlink");

        Assert.Equal($"images:\n- name: shortlink\n  newTag: 1.4.0\n  digest: {Digest}\n", File.ReadAllText(work.Combine("kustomization.yaml")));
        Assert.Contains("Skipped `apps/shortlink/gone.yaml`: a symbolic link to a file that does not exist", log.Text);
    }

    [Fact]
    public void With_our_policys_markers_in_the_folder_an_unmarked_reference_in_another_file_is_left_alone()
    {
        using var work = new TempDirectory("gitops-setter");
        File.WriteAllText(work.Combine("marked.yaml"),
            "kind: Pod\nspec:\n  containers:\n  - name: a\n    image: shortlink:1.0.0 # {\"$imagepolicy\": \"flux-system:shortlink\"}\n");
        const string unmarked = "kind: Pod\nspec:\n  containers:\n  - name: b\n    image: shortlink:1.0.0 # same image, no marker\n";
        File.WriteAllText(work.Combine("unmarked.yaml"), unmarked);
        var log = new MemoryLog();

        var result = new ImageSetter(WithPolicy, log).Update(work.Path, Shortlink);

        Assert.Contains($"image: shortlink:1.4.0@{Digest} # {{\"$imagepolicy\"", File.ReadAllText(work.Combine("marked.yaml")));
        Assert.Equal(unmarked, File.ReadAllText(work.Combine("unmarked.yaml")));
        Assert.Equal(["marked.yaml"], result.ChangedFiles);
        Assert.Contains("only marked fields", log.Text);
    }

    [Fact]
    public void Without_our_policy_the_same_folder_still_has_its_unmarked_references_set()
    {
        using var work = new TempDirectory("gitops-setter");
        File.WriteAllText(work.Combine("marked.yaml"),
            "kind: Pod\nspec:\n  containers:\n  - name: a\n    image: shortlink:1.0.0 # {\"$imagepolicy\": \"flux-system:someone-else\"}\n");
        File.WriteAllText(work.Combine("unmarked.yaml"), "kind: Pod\nspec:\n  containers:\n  - name: b\n    image: shortlink:1.0.0\n");

        new ImageSetter(ImageSetterOptions.Default, new MemoryLog()).Update(work.Path, Shortlink);

        Assert.Contains("image: shortlink:1.0.0 # {", File.ReadAllText(work.Combine("marked.yaml")));
        Assert.Contains($"image: shortlink:1.4.0@{Digest}\n", File.ReadAllText(work.Combine("unmarked.yaml")));
    }

    [Fact]
    public void A_commented_out_marker_of_our_policy_marks_nothing_and_the_unmarked_references_are_set()
    {
        // A marker kept in a comment line (an old field commented out) is attached to no value: Flux ignores it, so must we.
        using var work = new TempDirectory("gitops-setter");
        File.WriteAllText(work.Combine("kustomization.yaml"),
            "resources:\n- pod.yaml\n# image: shortlink:0.9.0 # {\"$imagepolicy\": \"flux-system:shortlink\"}\nimages:\n- name: shortlink\n  newTag: 1.0.0\n");
        File.WriteAllText(work.Combine("pod.yaml"), "kind: Pod\nspec:\n  containers:\n  - name: b\n    image: shortlink:1.0.0\n");
        var log = new MemoryLog();

        var result = new ImageSetter(WithPolicy, log).Update(work.Path, Shortlink);

        Assert.EndsWith($"images:\n- name: shortlink\n  newTag: 1.4.0\n  digest: {Digest}\n", File.ReadAllText(work.Combine("kustomization.yaml")));
        Assert.Contains("# image: shortlink:0.9.0 # {", File.ReadAllText(work.Combine("kustomization.yaml")));
        Assert.Contains($"image: shortlink:1.4.0@{Digest}\n", File.ReadAllText(work.Combine("pod.yaml")));
        Assert.Equal(["kustomization.yaml", "pod.yaml"], result.ChangedFiles);
        Assert.DoesNotContain("only marked fields", log.Text);
    }

    [Fact]
    public void Helm_values_with_only_a_marked_tag_get_the_digest_beside_it()
    {
        using var work = new TempDirectory("gitops-setter");
        File.WriteAllText(work.Combine("values.yaml"), "replicas: 2\nimage:\n  tag: 1.0.0 # {\"$imagepolicy\": \"flux-system:shortlink:tag\"}\n");

        new ImageSetter(WithPolicy, new MemoryLog()).Update(work.Path, Shortlink);

        Assert.Equal($"replicas: 2\nimage:\n  tag: 1.4.0 # {{\"$imagepolicy\": \"flux-system:shortlink:tag\"}}\n  digest: {Digest}\n",
            File.ReadAllText(work.Combine("values.yaml")));
    }

    [Fact]
    public void A_marked_tag_where_no_digest_can_go_is_refused_rather_than_claiming_the_digest_and_nothing_is_written()
    {
        using var work = new TempDirectory("gitops-setter");
        const string release = "apiVersion: example.com/v1\nkind: Release\nspec:\n  version: 1.0.0 # {\"$imagepolicy\": \"flux-system:shortlink:tag\"}\n";
        File.WriteAllText(work.Combine("release.yaml"), release);

        var error = Assert.Throws<PipelineException>(() => new ImageSetter(WithPolicy, new MemoryLog()).Update(work.Path, Shortlink, "apps/shortlink"));

        Assert.Contains("none takes the digest " + Digest, error.Message);
        Assert.Contains("release.yaml:4 $imagepolicy flux-system:shortlink:tag", error.Message);
        Assert.Contains(":digest", error.Message);
        Assert.Equal(release, File.ReadAllText(work.Combine("release.yaml")));
    }

    [Fact]
    public void A_digest_alone_drops_the_kustomize_entrys_old_tag_as_kustomize_edit_set_image_does()
    {
        using var work = new TempDirectory("gitops-setter");
        File.WriteAllText(work.Combine("kustomization.yaml"), "images:\n- name: shortlink\n  newTag: 1.0.0 # old\n  newName: registry.example/shortlink\n");

        var result = new ImageSetter(ImageSetterOptions.Default, new MemoryLog()).Update(work.Path, Shortlink with { Tag = null });

        Assert.Equal($"images:\n- name: shortlink\n  newName: registry.example/shortlink\n  digest: {Digest}\n", File.ReadAllText(work.Combine("kustomization.yaml")));
        Assert.Contains(result.Changes, c => c is { Field: "images[shortlink].newTag", OldValue: "1.0.0", NewValue: null });
    }

    [Fact]
    public void A_tag_alone_drops_the_old_digest_which_would_otherwise_keep_pinning_the_old_image()
    {
        using var work = new TempDirectory("gitops-setter");
        File.WriteAllText(work.Combine("kustomization.yaml"), $"images:\n- name: shortlink\n  newTag: 1.0.0\n  digest: {Digest}\n");

        new ImageSetter(ImageSetterOptions.Default, new MemoryLog()).Update(work.Path, new ImageUpdate("shortlink", null, "1.4.0", null));

        Assert.Equal("images:\n- name: shortlink\n  newTag: 1.4.0\n", File.ReadAllText(work.Combine("kustomization.yaml")));
    }

    [Fact]
    public void A_stale_tag_in_a_flow_mapping_is_refused_naming_the_place_and_nothing_is_written()
    {
        using var work = new TempDirectory("gitops-setter");
        const string text = "images:\n- {name: shortlink, newTag: 1.0.0}\n";
        File.WriteAllText(work.Combine("kustomization.yaml"), text);

        var error = Assert.Throws<PipelineException>(() => new ImageSetter(ImageSetterOptions.Default, new MemoryLog()).Update(work.Path, Shortlink with { Tag = null }));

        Assert.Contains("kustomization.yaml:2 (images[shortlink].newTag)", error.Message);
        Assert.Equal(text, File.ReadAllText(work.Combine("kustomization.yaml")));
    }

    [RequiresKubectlFact]
    public async Task Kubectl_kustomize_renders_a_digest_only_update_without_the_old_tag()
    {
        using var work = new TempDirectory("gitops-setter");
        File.WriteAllText(work.Combine("kustomization.yaml"), "resources:\n- pod.yaml\nimages:\n- name: shortlink\n  newTag: 1.0.0\n");
        File.WriteAllText(work.Combine("pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: api\n    image: shortlink\n");
        new ImageSetter(ImageSetterOptions.Default, new MemoryLog()).Update(work.Path, Shortlink with { Tag = null });

        var rendered = await new Command("kubectl").WithArguments("kustomize", work.Path).WithOutput(OutputMode.Quiet).ExecuteAsync();

        rendered.EnsureSuccess();
        Assert.Contains($"image: shortlink@{Digest}", rendered.StandardOutput);
    }
}
