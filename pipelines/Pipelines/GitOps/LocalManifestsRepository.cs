using Pipelines.Logging;

namespace Pipelines.GitOps;

/// <summary>
/// The local default for <c>--manifests-repo</c>: a bare repository (<c>.gitops/manifests.git</c>) created on
/// first use from a template folder (this repository's <c>manifests/</c>), so a laptop run needs no server.
/// </summary>
internal sealed class LocalManifestsRepository(ILog log)
{
    // Temporary folders (see TemporaryFolders): a killed run's are removed by the next one that makes its kind.
    private const string SeedPrefix = "gitops-seed-";
    private const string AppsPrefix = "gitops-apps-";

    /// <summary>
    /// Returns <paramref name="bareRepository"/>, creating it from <paramref name="templateFolder"/> with one
    /// commit on <paramref name="branch"/> when it does not exist yet. An existing one gains, in one commit, the
    /// template's <c>apps/&lt;name&gt;/</c> folders it lacks: a service added to the build after the first run.
    /// </summary>
    public async Task<string> EnsureAsync(string bareRepository, string templateFolder, string branch = "main", CancellationToken ct = default)
    {
        var bare = Path.GetFullPath(bareRepository);
        if (Directory.Exists(bare) && File.Exists(Path.Combine(bare, "HEAD")))
        {
            await AddNewAppsAsync(bare, templateFolder, branch, ct);
            return bare;
        }
        if (!Directory.Exists(templateFolder) || !Directory.EnumerateFiles(templateFolder, "*", SearchOption.AllDirectories).Any())
            throw new PipelineException(
                $"There is no manifests repository yet and no template to create one from: `{templateFolder}` is missing or empty. " +
                "Pass --manifests-repo <url or path>, or restore the manifests/ folder.");

        var git = new GitCli(new ManifestsRepositoryOptions(bare, branch), log);
        TemporaryFolders.RemoveStale(SeedPrefix);
        var seed = TemporaryFolders.New(SeedPrefix, create: false);
        var building = bare + ".creating-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            CopyFolder(templateFolder, seed);
            await git.RunCheckedAsync(seed, "git init", ct, "init", "--quiet", "--initial-branch", branch);
            await git.RunCheckedAsync(seed, "git add", ct, "add", "--all");
            var template = Path.GetFileName(Path.GetFullPath(templateFolder).TrimEnd(Path.DirectorySeparatorChar));
            var commit = await git.RunAsync(seed, ["commit", "--quiet", "--no-verify", "-F", "-"], ct, $"Seed the manifests repository from {template}/\n");
            commit.EnsureSuccess("git commit");
            Directory.CreateDirectory(Path.GetDirectoryName(bare)!);
            await git.RunCheckedAsync(null, "git clone --bare", ct, "clone", "--quiet", "--bare", "--", seed, building);
            // Let sparse, blob-less clones ask for only the files they need.
            await git.RunCheckedAsync(building, "git config", ct, "config", "uploadpack.allowFilter", "true");
            await git.RunCheckedAsync(building, "git config", ct, "config", "uploadpack.allowAnySHA1InWant", "true");
            await git.RunCheckedAsync(building, "git remote remove", ct, "remote", "remove", "origin");
            // Created beside and moved into place: a concurrent first run sees a whole repository or none.
            try
            {
                Directory.Move(building, bare);
                log.Info($"Created the local manifests repository {bare} from {templateFolder} (branch {branch}). Pass --manifests-repo to deploy to a real one.");
            }
            catch (IOException) when (File.Exists(Path.Combine(bare, "HEAD")))
            {
                // Another run created it first; use theirs.
            }
            return bare;
        }
        finally
        {
            TemporaryFolders.Delete(seed);
            TryDelete(building);
        }
    }

    /// <summary>Commits the template's app folders the repository's branch does not have yet (nothing when it has them all).</summary>
    private async Task AddNewAppsAsync(string bare, string templateFolder, string branch, CancellationToken ct)
    {
        var templateApps = Path.Combine(templateFolder, "apps");
        if (!Directory.Exists(templateApps)) return;
        var git = new GitCli(new ManifestsRepositoryOptions(bare, branch), log);
        var listed = await git.RunAsync(null, ["--git-dir", bare, "ls-tree", "-d", "--name-only", $"refs/heads/{branch}:apps"], ct);
        if (!listed.Succeeded) return;
        var existing = listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var missing = Directory.EnumerateDirectories(templateApps).Select(Path.GetFileName).OfType<string>()
            .Where(app => !existing.Contains(app)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count == 0) return;

        TemporaryFolders.RemoveStale(AppsPrefix);
        var work = TemporaryFolders.New(AppsPrefix, create: false);
        try
        {
            await git.RunCheckedAsync(null, "git clone", ct, "clone", "--quiet", "--branch", branch, "--", bare, work);
            foreach (var app in missing) CopyFolder(Path.Combine(templateApps, app), Path.Combine(work, "apps", app));
            await git.RunCheckedAsync(work, "git add", ct, ["add", "--", .. missing.Select(app => $"apps/{app}")]);
            var commit = await git.RunAsync(work, ["commit", "--quiet", "--no-verify", "-F", "-"], ct,
                $"Add {string.Join(", ", missing.Select(app => $"apps/{app}"))} from the manifests template\n");
            commit.EnsureSuccess("git commit");
            await git.RunCheckedAsync(work, "git push", ct, "push", "--quiet", "origin", $"HEAD:refs/heads/{branch}");
            log.Info($"Added {string.Join(", ", missing.Select(app => $"apps/{app}"))} from {templateFolder} to the local manifests repository {bare}.");
        }
        finally
        {
            TemporaryFolders.Delete(work);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static void TryDelete(string directory)
    {
        try { if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
