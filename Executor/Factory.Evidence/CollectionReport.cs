namespace Factory.Evidence;

public sealed record CollectionReport(string Store, bool DryRun, int Scanned, int Kept, IReadOnlyList<CollectedObject> Removed)
{
    public long RemovedBytes => Removed.Sum(r => r.Size);
}
