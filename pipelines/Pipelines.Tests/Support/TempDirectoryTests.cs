namespace Pipelines.Tests.Support;

/// <summary>The suite's temporary folders leave nothing in /tmp: every test relies on this helper for that.</summary>
public sealed class TempDirectoryTests
{
    [Fact]
    public void Disposing_deletes_the_folder_and_everything_in_it()
    {
        var directory = new TempDirectory("temp-directory-test");
        Directory.CreateDirectory(directory.Combine("nested", "deeper"));
        File.WriteAllText(directory.Combine("nested", "deeper", "file.txt"), "content");
        File.SetUnixFileMode(directory.Combine("nested", "deeper", "file.txt"), UnixFileMode.UserRead);

        directory.Dispose();

        Assert.False(Directory.Exists(directory.Path), $"{directory.Path} is still there after Dispose");
    }

    [Fact]
    public void Disposing_twice_or_after_the_folder_is_gone_is_quiet()
    {
        var directory = new TempDirectory("temp-directory-test");
        Directory.Delete(directory.Path);

        directory.Dispose();
        directory.Dispose();

        Assert.False(Directory.Exists(directory.Path));
    }
}
