using System.Text;

namespace Pipelines.Signing;

/// <summary>PEM blocks as Go's <c>encoding/pem</c> reads and writes them (64-column base64 lines).</summary>
internal static class Pem
{
    /// <summary>True for PEM text (a <c>-----BEGIN</c> line); anything else given where a key is expected is a file path or, masked, key material (<see cref="KeyText"/>).</summary>
    public static bool IsPemText(string value) => value.Contains("-----BEGIN", StringComparison.Ordinal);

    public static string Write(string label, byte[] body)
    {
        var base64 = Convert.ToBase64String(body);
        var builder = new StringBuilder().Append("-----BEGIN ").Append(label).Append("-----\n");
        for (var i = 0; i < base64.Length; i += 64)
            builder.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        return builder.Append("-----END ").Append(label).Append("-----\n").ToString();
    }

    /// <summary>The first PEM block in a text, or <c>null</c> when there is none; throws <see cref="FormatException"/> on a broken block.</summary>
    public static (string Label, byte[] Body)? Read(string text)
    {
        var begin = text.IndexOf("-----BEGIN ", StringComparison.Ordinal);
        if (begin < 0) return null;
        var labelStart = begin + "-----BEGIN ".Length;
        var labelEnd = text.IndexOf("-----", labelStart, StringComparison.Ordinal);
        if (labelEnd < 0) throw new FormatException("the BEGIN line is not closed");
        var label = text[labelStart..labelEnd];
        var footer = $"-----END {label}-----";
        var end = text.IndexOf(footer, labelEnd, StringComparison.Ordinal);
        if (end < 0) throw new FormatException($"there is no '{footer}' line");
        var body = text[(labelEnd + 5)..end];
        // Headers (Proc-Type etc.) are not used by cosign's formats; a colon means a legacy encrypted PEM.
        if (body.Contains(':')) throw new FormatException("PEM headers (legacy OpenSSL encryption) are not supported");
        var base64 = new string(body.Where(c => !char.IsWhiteSpace(c)).ToArray());
        try { return (label, Convert.FromBase64String(base64)); }
        catch (FormatException) { throw new FormatException($"the body of the {label} block is not valid base64"); }
    }
}
