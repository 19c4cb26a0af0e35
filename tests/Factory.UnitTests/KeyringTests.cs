using Factory.Signing;

namespace Factory.UnitTests;

/// <summary>Keyring: loaded from a directory or a file, keys found by id, a signature trusted only by a key it holds.</summary>
public sealed class KeyringTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("factory-keyring-").FullName;
    private readonly SigningKey _old = SigningKey.Generate();
    private readonly SigningKey _new = SigningKey.Generate();
    private readonly SigningKey _stranger = SigningKey.Generate();

    public void Dispose()
    {
        _old.Dispose();
        _new.Dispose();
        _stranger.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static DsseEnvelope Envelope(SigningKey key, string text = "{\"status\":\"passed\"}") =>
        DsseEnvelope.Sign(DsseEnvelope.RecordPayloadType, System.Text.Encoding.UTF8.GetBytes(text), key);

    [Fact]
    public void A_directory_of_pem_files_is_loaded_and_each_key_is_found_by_its_id()
    {
        File.WriteAllText(Path.Combine(_dir, "old.pub"), _old.PublicKeyPem());
        File.WriteAllText(Path.Combine(_dir, "new.pem"), _new.PublicKeyPem());
        File.WriteAllText(Path.Combine(_dir, "README.txt"), "not a key, not read");
        using var keyring = Keyring.Load(_dir);
        Assert.Equal(2, keyring.Count);
        Assert.Equal(_old.KeyId, keyring.Find(_old.KeyId)!.KeyId);
        Assert.Equal(_new.KeyId, keyring.Find(_new.KeyId)!.KeyId);
        Assert.Null(keyring.Find(_stranger.KeyId));
    }

    [Fact]
    public void One_file_may_hold_several_keys()
    {
        var file = Path.Combine(_dir, "trusted.pem");
        File.WriteAllText(file, _old.PublicKeyPem() + "\n" + _new.PublicKeyPem());
        using var keyring = Keyring.Load(file);
        // Key ids are hashes of fresh keys: compare as sorted sets, not in a fixed order.
        Assert.Equal(new[] { _new.KeyId, _old.KeyId }.Order(StringComparer.Ordinal), keyring.KeyIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void After_rotation_both_the_old_and_the_new_key_verify_and_a_stranger_is_refused_by_name()
    {
        using var keyring = Keyring.Of("test", SigningKey.FromPem(_old.PublicKeyPem()), SigningKey.FromPem(_new.PublicKeyPem()));
        Assert.Equal(_old.KeyId, keyring.Verify(Envelope(_old)).KeyId);
        Assert.Equal(_new.KeyId, keyring.Verify(Envelope(_new)).KeyId);
        var refused = keyring.Verify(Envelope(_stranger));
        Assert.Equal(SignatureRefusal.UnknownKey, refused.Refusal);
        Assert.Contains(_stranger.KeyId, refused.Detail);
        Assert.Contains("not in the keyring test", refused.Detail);
    }

    [Fact]
    public void A_signature_that_names_a_trusted_key_but_was_made_by_another_is_invalid()
    {
        using var keyring = Keyring.Of("test", SigningKey.FromPem(_old.PublicKeyPem()));
        var forged = Envelope(_stranger);
        forged = forged with { Signatures = [new DsseSignature(_old.KeyId, forged.Signatures[0].Sig)] };
        var verdict = keyring.Verify(forged);
        Assert.Equal(SignatureRefusal.Invalid, verdict.Refusal);
        Assert.Contains(_old.KeyId, verdict.Detail);
    }

    [Fact]
    public void A_changed_payload_no_longer_verifies()
    {
        using var keyring = Keyring.Of("test", SigningKey.FromPem(_old.PublicKeyPem()));
        var signed = Envelope(_old);
        var tampered = signed with { Payload = Convert.ToBase64String("{\"status\":\"failed\"}"u8.ToArray()) };
        Assert.True(keyring.Verify(signed).Trusted);
        Assert.Equal(SignatureRefusal.Invalid, keyring.Verify(tampered).Refusal);
    }

    [Fact]
    public void A_signature_without_a_keyid_is_tried_against_every_key()
    {
        using var keyring = Keyring.Of("test", SigningKey.FromPem(_old.PublicKeyPem()), SigningKey.FromPem(_new.PublicKeyPem()));
        var signed = Envelope(_new);
        var anonymous = signed with { Signatures = [new DsseSignature("", signed.Signatures[0].Sig)] };
        Assert.Equal(_new.KeyId, keyring.Verify(anonymous).KeyId);
    }

    [Fact]
    public void A_missing_keyring_a_private_key_in_it_and_a_file_without_keys_are_refused_naming_the_file()
    {
        var missing = Path.Combine(_dir, "nowhere");
        Assert.Contains($"no keyring at {missing}: expected a directory of trusted public keys", Assert.Throws<TrustSetupException>(() => Keyring.Load(missing)).Message);

        var secret = Path.Combine(_dir, "oops.pem");
        File.WriteAllText(secret, System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem());
        Assert.Contains($"keyring file {secret} holds a private key: expected public keys only", Assert.Throws<TrustSetupException>(() => Keyring.Load(_dir)).Message);
        File.Delete(secret);

        var empty = Path.Combine(_dir, "empty.pub");
        File.WriteAllText(empty, "nothing here");
        Assert.Contains($"keyring file {empty} holds no public key", Assert.Throws<TrustSetupException>(() => Keyring.Load(_dir)).Message);
    }

    [Fact]
    public void Enrolling_writes_the_public_key_once_and_never_the_private_one()
    {
        Assert.True(Keyring.Enrol(_dir, _old));
        Assert.False(Keyring.Enrol(_dir, _old));
        var file = Assert.Single(Directory.GetFiles(_dir));
        Assert.DoesNotContain("PRIVATE", File.ReadAllText(file));
        using var keyring = Keyring.Load(_dir);
        Assert.Equal([_old.KeyId], keyring.KeyIds);
    }

    [Fact]
    public void Trusted_keys_read_the_keyring_again_when_a_signature_names_a_key_they_do_not_hold()
    {
        Keyring.Enrol(_dir, _old);
        using var trusted = new TrustedKeys(_dir);
        Assert.True(trusted.Verify(Envelope(_old)).Trusted);
        Assert.Equal(SignatureRefusal.UnknownKey, trusted.Verify(Envelope(_new)).Refusal);
        Keyring.Enrol(_dir, _new);
        Assert.Equal(_new.KeyId, trusted.Verify(Envelope(_new)).KeyId);
    }
}
