namespace Factory.Evidence;

/// <summary>
/// How long evidence is kept (<c>factory evidence gc</c>). An object is removed only when no retained record refers
/// to it (objects are content-addressed and shared): a failed record is retained for <see cref="FailedDays"/>; a passing
/// record while it is the newest record of its key (or always, when <see cref="PassingWhileCurrent"/> is false); an
/// expired record has no evidence.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>Evidence of failed records older than this many days may be removed.</summary>
    public int FailedDays { get; set; } = 14;
    /// <summary>Keep a passing record's evidence only while it is the newest record of its key.</summary>
    public bool PassingWhileCurrent { get; set; } = true;
    /// <summary>An object no record refers to (an item still on its way, a dead-lettered item's error file) is removed once this old.</summary>
    public int UnreferencedDays { get; set; } = 7;
    /// <summary>
    /// No object written (or re-put) within this many hours is removed, whatever the records say: a record that will
    /// point to it may be on its way. A put of content already stored refreshes the object after half this time.
    /// </summary>
    public double MinAgeHours { get; set; } = 1;

    public TimeSpan MinAge => TimeSpan.FromHours(MinAgeHours);
    /// <summary>When a put of content already stored rewrites it to renew its time (zero: never).</summary>
    public TimeSpan RefreshAfter => MinAge / 2;
}
