using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Upnp;

/// <summary>Thrown only where an API cannot return a fault as data (e.g. <c>FindMappingAsync</c> returning a record).</summary>
internal sealed class UpnpActionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UpnpActionException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public UpnpActionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public UpnpActionException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for an action that failed.</summary>
    /// <param name="action">The action name.</param>
    /// <param name="fault">The router's fault, or null when the answer was malformed.</param>
    /// <param name="message">The message.</param>
    public UpnpActionException(string action, UpnpFault? fault, string message) : base(message)
    {
        Action = action;
        Fault = fault;
    }

    /// <summary>The action that failed.</summary>
    public string? Action { get; }

    /// <summary>The router's fault, or null when the answer was malformed.</summary>
    public UpnpFault? Fault { get; }
}
