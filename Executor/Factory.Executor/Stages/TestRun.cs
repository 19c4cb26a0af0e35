using System.Text;
using System.Text.RegularExpressions;
using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Executor.Engine;

namespace Factory.Executor.Stages;

public sealed record TestRun(TestResult Result, byte[] Log);
