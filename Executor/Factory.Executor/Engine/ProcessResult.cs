using System.Diagnostics;
using System.Text;

namespace Factory.Executor.Engine;

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, string Combined, bool TimedOut, TimeSpan Duration);
