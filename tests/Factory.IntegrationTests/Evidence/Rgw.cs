using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Factory.Evidence;

namespace Factory.IntegrationTests.Evidence;

/// <summary>The real Ceph RGW that deploy/local/up.sh runs (with this install's S3 key), and a throwaway bucket per test.</summary>
public static class Rgw
{
    public const int Port = 7480;
    public const string Url = "http://127.0.0.1:7480";
    public static string AccessKey => LocalCredentials.Current.S3AccessKey;
    public static string SecretKey => LocalCredentials.Current.S3SecretKey;

    public static string NewBucket() => "factory-it-" + Guid.NewGuid().ToString("N")[..12];

    public static S3EvidenceOptions Options(string bucket, string? serviceUrl = null, string? secretKey = null) => new()
    {
        ServiceUrl = serviceUrl ?? Url,
        Bucket = bucket,
        AccessKey = AccessKey,
        SecretKey = secretKey ?? SecretKey,
    };

    /// <summary>The Evidence section as environment variables, as the CLI and the fleet's services read it.</summary>
    public static Dictionary<string, string> Environment(string bucket, string? serviceUrl = null, string? secretKey = null) => new()
    {
        ["Evidence__Store"] = "s3",
        ["Evidence__S3__ServiceUrl"] = serviceUrl ?? Url,
        ["Evidence__S3__Bucket"] = bucket,
        ["Evidence__S3__AccessKey"] = AccessKey,
        ["Evidence__S3__SecretKey"] = secretKey ?? SecretKey,
    };

    /// <summary>A plain client straight to RGW, to check what is stored independently of the code under test.</summary>
    public static AmazonS3Client Client() => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = Url,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public static async Task<List<S3Object>> ObjectsAsync(string bucket)
    {
        using var s3 = Client();
        var all = new List<S3Object>();
        string? next = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = next });
            all.AddRange(page.S3Objects ?? []);
            next = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (next is not null);
        return all;
    }

    /// <summary>The object's bytes straight from RGW, or null when it is not there.</summary>
    public static async Task<byte[]?> ReadAsync(string bucket, string key)
    {
        using var s3 = Client();
        try
        {
            using var response = await s3.GetObjectAsync(bucket, key);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Empties and removes a test bucket (never fails the test).</summary>
    public static async Task DeleteBucketAsync(string bucket)
    {
        try
        {
            using var s3 = Client();
            foreach (var o in await ObjectsAsync(bucket)) await s3.DeleteObjectAsync(bucket, o.Key);
            await s3.DeleteBucketAsync(bucket);
        }
        catch (AmazonS3Exception) { }
    }
}
