using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipelines.Containers;

/// <summary>
/// A content hash of what <c>dotnet publish</c> reads for a project: its folder (without bin/obj), the folders of
/// the projects it references, the repository's <c>global.json</c> and <c>Directory.Build.*</c>, and the publish
/// arguments. Equal hashes mean the previous publish output is still current and the publish can be skipped.
/// </summary>
internal static partial class PublishInputs
{
    /// <summary>
    /// Hashes what <c>dotnet publish</c> of the project would read, so an unchanged project skips the publish.
    /// Null when that cannot be known for sure (a reference through a property or wildcard, an <c>Import</c>, a
    /// referenced folder that does not exist): then the publish always runs.
    /// </summary>
    public static string? Hash(string rootDirectory, string projectPath, IEnumerable<string> arguments)
    {
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        if (!Collect(Path.GetFullPath(projectPath, rootDirectory), folders)) return null;

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(string.Join('\0', arguments) + "\n"));
        var files = folders
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => !IsBuildOutput(Path.GetRelativePath(folder, f))))
            .Concat(BuildFilesAbove(folders, rootDirectory))
            .Distinct()
            .Order(StringComparer.Ordinal);
        // The SDKs installed beside the dotnet on PATH: a new SDK under a roll-forward global.json changes the output.
        sha.AppendData(Encoding.UTF8.GetBytes(string.Join(',', InstalledSdks()) + "\n"));
        foreach (var file in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(rootDirectory, file) + "\0"));
            sha.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary><c>global.json</c>, <c>Directory.Build.*</c>, <c>Directory.Packages.props</c> and <c>NuGet.config</c> in every folder from each project up to the root.</summary>
    private static IEnumerable<string> BuildFilesAbove(IEnumerable<string> folders, string rootDirectory)
    {
        string[] names = ["global.json", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "NuGet.config", "nuget.config"];
        var root = Path.GetFullPath(rootDirectory).TrimEnd(Path.DirectorySeparatorChar);
        foreach (var folder in folders)
            for (var directory = new DirectoryInfo(folder); directory is not null; directory = directory.Parent)
            {
                foreach (var name in names)
                {
                    var candidate = Path.Combine(directory.FullName, name);
                    if (File.Exists(candidate)) yield return candidate;
                }
                if (directory.FullName.TrimEnd(Path.DirectorySeparatorChar) == root) break;
            }
    }

    private static IEnumerable<string> InstalledSdks()
    {
        var dotnet = Processes.Command.Resolve("dotnet");
        if (dotnet is null) return [];
        var resolved = new FileInfo(dotnet).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dotnet;
        var sdk = Path.Combine(Path.GetDirectoryName(resolved)!, "sdk");
        return Directory.Exists(sdk) ? Directory.GetDirectories(sdk).Select(Path.GetFileName).Order(StringComparer.Ordinal)! : [];
    }

    /// <summary>Adds the project's folder and, transitively, its referenced projects' folders; false when unsure.</summary>
    private static bool Collect(string projectFile, SortedSet<string> folders)
    {
        var folder = Path.GetDirectoryName(projectFile)!;
        if (!File.Exists(projectFile) || !Directory.Exists(folder)) return false;
        if (!folders.Add(folder)) return true;
        var text = File.ReadAllText(projectFile);
        if (text.Contains("<Import", StringComparison.Ordinal)) return false;
        foreach (Match reference in ProjectReference().Matches(text))
        {
            var include = reference.Groups[1].Value;
            if (include.Contains("$(", StringComparison.Ordinal) || include.Contains('*')) return false;
            if (!Collect(Path.GetFullPath(include.Replace('\\', '/'), folder), folders)) return false;
        }
        return true;
    }

    private static bool IsBuildOutput(string relative)
    {
        var first = relative.Replace('\\', '/').Split('/')[0];
        return first is "bin" or "obj" or "publish";
    }

    [GeneratedRegex("""<ProjectReference\b[^>]*?\bInclude\s*=\s*["']([^"']+)["']""")]
    private static partial Regex ProjectReference();
}
