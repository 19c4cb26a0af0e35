using System.Text;
using System.Text.RegularExpressions;
using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Executor.Engine;

namespace Factory.Executor.Stages;

/// <summary>
/// A test's result and its log (the kept head and tail of its output). FullLog: when the capture cut its output, the
/// whole of it (up to Executor:FullOutputMaxBytes) as a gzip file in the delivery's work directory, to store as evidence.
/// </summary>
public sealed record TestRun(TestResult Result, byte[] Log, string? FullLog = null);
