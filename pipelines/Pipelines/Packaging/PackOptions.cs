namespace Pipelines.Packaging;

/// <summary>What <see cref="PackageBuilder"/> packs, and where to.</summary>
/// <param name="RootDirectory">The repository root; project paths are relative to it.</param>
/// <param name="OutputDirectory">Where the .nupkg and .snupkg files go (created when missing).</param>
/// <param name="Projects">
/// The projects to pack, in order. The first one's version (MinVer's, from git tags, unless <see cref="Version"/> is
/// given) is given to every later one, and handed to them as <c>GitOpsPipelinesVersion</c>: the template package
/// writes it into the <c>PackageReference</c> of the repository it creates.
/// </param>
public sealed record PackOptions(string RootDirectory, string OutputDirectory, IReadOnlyList<string> Projects)
{
    /// <summary>The toolkit library, then the <c>dotnet new</c> template package that references it.</summary>
    public static IReadOnlyList<string> DefaultProjects { get; } =
        ["pipelines/Pipelines/Pipelines.csproj", "templates/GitOps.Pipelines.Templates.csproj"];

    /// <summary>The build configuration packed.</summary>
    public string Configuration { get; init; } = "Release";

    /// <summary>A version for every package (MinVer's <c>MinVerVersionOverride</c>); null: MinVer computes it from git.</summary>
    public string? Version { get; init; }

    /// <summary>
    /// Where the projects' obj/ and bin/ go during the pack (MSBuild's <c>ArtifactsPath</c>); null: their own folders.
    /// A separate folder keeps a pack from touching the outputs a running build or test run uses.
    /// </summary>
    public string? IntermediateDirectory { get; init; }

    /// <summary>Stops a pack that takes longer than this.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);
}
