using Pipelines.Tests.Support;

namespace Pipelines.Tests.TektonLocal;

/// <summary>
/// The application repository the local Tekton tests clone: one commit on main holding the stand-in build.sh
/// (testdata/tekton-local/service-repo), executable in git as a Task's clone needs it.
/// </summary>
internal static class ServiceRepository
{
    public static async Task<string> CreateAsync(TempDirectory temp)
    {
        var source = temp.Combine("service");
        Directory.CreateDirectory(source);
        File.Copy(TestPaths.TestData("tekton-local", "service-repo", "build.sh"), Path.Combine(source, "build.sh"));
        await TestGit.RunAsync(source, ["init", "--quiet", "--initial-branch=main"]);
        await TestGit.RunAsync(source, ["add", "build.sh"]);
        await TestGit.RunAsync(source, ["update-index", "--chmod=+x", "build.sh"]);
        await TestGit.RunAsync(source, ["commit", "--quiet", "-m", "service"]);
        return source;
    }
}
