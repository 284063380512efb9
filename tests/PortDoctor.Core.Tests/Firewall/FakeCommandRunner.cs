using PortDoctor.Core.Processes;

namespace PortDoctor.Core.Tests.Firewall;

/// <summary>Replays recorded outputs keyed by the command line; records every invocation. Unknown commands are "not installed".</summary>
internal sealed class FakeCommandRunner : ICommandRunner
{
    private readonly Dictionary<string, Queue<CommandResult>> _answers = new(StringComparer.Ordinal);

    public List<CommandRequest> Calls { get; } = [];

    public FakeCommandRunner On(string commandLine, CommandResult result)
    {
        if (!_answers.TryGetValue(commandLine, out var queue))
        {
            queue = new Queue<CommandResult>();
            _answers[commandLine] = queue;
        }

        queue.Enqueue(result);
        return this;
    }

    public FakeCommandRunner On(string commandLine, string stdout) => On(commandLine, CommandResult.Exit(0, stdout));

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        Calls.Add(request);
        string key = Key(request);
        if (_answers.TryGetValue(key, out var queue) && queue.Count > 0)
        {
            // The last answer repeats, so a ruleset can be read any number of times.
            return Task.FromResult(queue.Count == 1 ? queue.Peek() : queue.Dequeue());
        }

        return Task.FromResult(CommandResult.Missing($"no recorded answer for '{key}'"));
    }

    public static string Key(CommandRequest request) => string.Join(" ", [request.FileName, .. request.Arguments]);

    public IEnumerable<string> CallLines => Calls.Select(Key);
}

internal static class FirewallFixtures
{
    public static string Read(string relative) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Firewall", relative));
}
