using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Firewall;

/// <summary>
/// A firewall backend name that <see cref="FirewallBackendRegistry"/> does not know (from <c>--firewall</c> or a
/// journal entry). Never replaced by a default backend: removing a rule through the wrong tool would leave the
/// real rule behind, and forcing the wrong one would evaluate rules that are not in force.
/// </summary>
internal sealed class UnknownFirewallBackendException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="name">The name as given.</param>
    /// <param name="text">The sentence for the user (<see cref="FirewallBackendRegistry.UnknownNameText"/>).</param>
    public UnknownFirewallBackendException(string name, Text text) : base(text?.ToString())
    {
        ArgumentNullException.ThrowIfNull(text);
        Name = name;
        Text = text;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public UnknownFirewallBackendException() : this(string.Empty, Text.Of("Firewall.UnknownBackend", string.Empty, string.Empty))
    {
    }

    /// <summary>Creates the exception with an English message (for serializers and analyzers; prefer the typed constructor).</summary>
    /// <param name="message">The message.</param>
    public UnknownFirewallBackendException(string message) : base(message)
    {
        Name = string.Empty;
        Text = Text.Of("Firewall.UnknownBackend", string.Empty, string.Empty);
    }

    /// <summary>Creates the exception with an English message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public UnknownFirewallBackendException(string message, Exception innerException) : base(message, innerException)
    {
        Name = string.Empty;
        Text = Text.Of("Firewall.UnknownBackend", string.Empty, string.Empty);
    }

    /// <summary>The name as given.</summary>
    public string Name { get; }

    /// <summary>The localizable sentence: the name and the valid ones.</summary>
    public Text Text { get; }
}
