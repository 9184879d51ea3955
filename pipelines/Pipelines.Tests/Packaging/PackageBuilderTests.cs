using System.IO.Compression;
using Pipelines.Logging;
using Pipelines.Packaging;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Packaging;

/// <summary>PackageBuilder's checks before it packs, and how it reads a package back (packing itself: Templates/PackedTemplate).</summary>
public sealed class PackageBuilderTests
{
    [Fact]
    public async Task Pack_refuses_a_missing_project_before_writing_anything()
    {
        using var root = new TempDirectory("pack-missing");
        var output = root.Combine("artifacts", "packages");

        var error = await Assert.ThrowsAsync<PipelineException>(() => new PackageBuilder(new MemoryLog())
            .PackAsync(new PackOptions(root.Path, output, ["lib/Lib.csproj", "templates/T.csproj"])));

        Assert.Contains("lib/Lib.csproj, templates/T.csproj not found", error.Message);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void A_package_is_read_back_by_the_id_and_version_its_nuspec_declares()
    {
        using var folder = new TempDirectory("pack-identity");
        var path = folder.Combine("whatever-name.nupkg");
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var writer = new StreamWriter(archive.CreateEntry("GitOps.Pipelines.nuspec").Open()))
            writer.Write("""<?xml version="1.0"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata><id>GitOps.Pipelines</id><version>1.2.3-alpha.0.4</version></metadata></package>""");

        Assert.Equal(("GitOps.Pipelines", "1.2.3-alpha.0.4"), PackageBuilder.ReadIdentity(path));
    }

    [Fact]
    public void A_zip_without_a_nuspec_is_not_taken_for_a_package()
    {
        using var folder = new TempDirectory("pack-identity");
        var path = folder.Combine("not.nupkg");
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Create)) archive.CreateEntry("readme.txt");

        var error = Assert.Throws<PipelineException>(() => PackageBuilder.ReadIdentity(path));

        Assert.Contains("holds no .nuspec", error.Message);
    }
}
