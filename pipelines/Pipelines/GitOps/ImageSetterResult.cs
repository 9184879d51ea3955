namespace Pipelines.GitOps;

/// <summary>What the <see cref="ImageSetter"/> found and changed in a folder.</summary>
/// <param name="References">Every place that refers to the image, changed or already up to date.</param>
/// <param name="Changes">The values that differ from the update (empty: the folder already holds it).</param>
/// <param name="ChangedFiles">Relative paths of the files whose text changed.</param>
internal sealed record ImageSetterResult(
    IReadOnlyList<SetterChange> References,
    IReadOnlyList<SetterChange> Changes,
    IReadOnlyList<string> ChangedFiles)
{
    /// <summary>True when every reference already holds the update.</summary>
    public bool UpToDate => Changes.Count == 0;
}
