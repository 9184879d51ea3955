namespace Pipelines.Tests.Registry;

/// <summary>A <c>docker-credential-&lt;name&gt;</c> shell script for tests, and a scoped PATH change to find it.</summary>
internal static class CredentialHelperScript
{
    /// <summary>
    /// Writes a helper that answers <c>get</c> for <paramref name="serverUrl"/> with the given credentials, says
    /// "credentials not found" (exit 1) for any other URL, and copies its stdin to <paramref name="stdinCopy"/>.
    /// </summary>
    public static async Task<string> WriteAsync(string directory, string name, string serverUrl, string username, string secret, string stdinCopy)
    {
        var path = Path.Combine(directory, "docker-credential-" + name);
        await File.WriteAllTextAsync(path, $$"""
            #!/bin/sh
            [ "$1" = "get" ] || { echo "unsupported: $1" >&2; exit 2; }
            read -r url
            printf '%s\n' "$url" > '{{stdinCopy}}'
            if [ "$url" = '{{serverUrl}}' ]; then
              printf '{"ServerURL":"%s","Username":"{{username}}","Secret":"{{secret}}"}\n' "$url"
            else
              echo "credentials not found in native keychain"
              exit 1
            fi
            """.Replace("\r", ""));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>Puts <paramref name="directory"/> first on PATH until disposed (other entries stay, so parallel tests still find their tools).</summary>
    public static IDisposable PrependToPath(string directory) => new PathScope(directory);

    private sealed class PathScope : IDisposable
    {
        private static readonly object Gate = new();
        private readonly string _directory;

        public PathScope(string directory)
        {
            _directory = directory;
            lock (Gate) Environment.SetEnvironmentVariable("PATH", directory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"));
        }

        public void Dispose()
        {
            lock (Gate)
            {
                var entries = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).ToList();
                entries.Remove(_directory);
                Environment.SetEnvironmentVariable("PATH", string.Join(Path.PathSeparator, entries));
            }
        }
    }
}
