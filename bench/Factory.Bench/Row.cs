using System.Runtime.InteropServices;
using System.Text.Json;

namespace Factory.Bench;

/// <summary>One measure with a stable id: Factory's number, its baseline's number from the same run (named by Against), and Factory ÷ baseline.</summary>
public sealed record Row(string Id, string Measure, string Unit, double Factory, double Baseline, double Ratio, string Against);
