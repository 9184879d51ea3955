namespace Shortlink.Links;

/// <summary>Proposes short codes; uniqueness is enforced by the store, not here.</summary>
public interface ICodeGenerator
{
    /// <summary>A new candidate code.</summary>
    string Next();
}
