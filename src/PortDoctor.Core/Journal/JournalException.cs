namespace PortDoctor.Core.Journal;

/// <summary>The journal file cannot be used: unreadable, corrupt in its middle, from a newer version, or locked.</summary>
public sealed class JournalException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public JournalException(string message) : base(message) { }

    /// <summary>Creates the exception with a cause.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="inner">The cause.</param>
    public JournalException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with a default message.</summary>
    public JournalException() : base("The PortDoctor journal cannot be used.") { }
}
