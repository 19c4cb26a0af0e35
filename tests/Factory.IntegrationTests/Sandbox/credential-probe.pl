#!/usr/bin/perl
# What a hostile module's build tries against the services on 127.0.0.1 (BuildSandboxTests copies it into a module).
# Pure Perl on perl-base only (Debian's minimal image has no Digest::SHA or MIME::Base64): SHA-256, HMAC, PBKDF2 and
# base64 are written out below. One line per attempt on stdout:
#   reachable|unreachable SERVICE PORT            a TCP connection to the port (is there network at all?)
#   accepted|denied|nothing|error ATTEMPT (detail) what the service did with the credentials
# Attempts (arguments): amqp:USER:PASS  mgmt:USER:PASS  pg:USER:PASS  s3:ACCESS:SECRET  s3put::  cp-get:TOKEN  cp-post:TOKEN
# (an empty USER/ACCESS/TOKEN: none offered; $NAME: from the environment), and cp=PORT for the control plane's port.
use strict;
use warnings;
use IO::Socket::INET;

my $HOST = '127.0.0.1';
my %PORT = (amqp => 5672, mgmt => 15672, pg => 5432, s3 => 7480, cp => 5080);
$| = 1;

# ------------------------------------------------------------------------------------------------ SHA-256, HMAC, PBKDF2
my @K = (
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2);
use constant M => 0xffffffff;

sub sha256 {
    my ($msg) = @_;
    my @H = (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19);
    my $bits = length($msg) * 8;
    $msg .= "\x80" . ("\0" x ((55 - length($msg)) % 64)) . pack('NN', int($bits / 4294967296), $bits & M);
    for my $chunk (unpack '(a64)*', $msg) {
        my @w = unpack 'N16', $chunk;
        for my $t (16 .. 63) {
            my ($x, $y) = ($w[$t - 15], $w[$t - 2]);
            my $s0 = ((($x >> 7) | ($x << 25)) ^ (($x >> 18) | ($x << 14)) ^ ($x >> 3)) & M;
            my $s1 = ((($y >> 17) | ($y << 15)) ^ (($y >> 19) | ($y << 13)) ^ ($y >> 10)) & M;
            $w[$t] = ($w[$t - 16] + $s0 + $w[$t - 7] + $s1) & M;
        }
        my ($a, $b, $c, $d, $e, $f, $g, $h) = @H;
        for my $t (0 .. 63) {
            my $S1 = ((($e >> 6) | ($e << 26)) ^ (($e >> 11) | ($e << 21)) ^ (($e >> 25) | ($e << 7))) & M;
            my $t1 = ($h + $S1 + (($e & $f) ^ (~$e & $g & M)) + $K[$t] + $w[$t]) & M;
            my $S0 = ((($a >> 2) | ($a << 30)) ^ (($a >> 13) | ($a << 19)) ^ (($a >> 22) | ($a << 10))) & M;
            my $t2 = ($S0 + (($a & $b) ^ ($a & $c) ^ ($b & $c))) & M;
            ($h, $g, $f, $e, $d, $c, $b, $a) = ($g, $f, $e, ($d + $t1) & M, $c, $b, $a, ($t1 + $t2) & M);
        }
        my @v = ($a, $b, $c, $d, $e, $f, $g, $h);
        $H[$_] = ($H[$_] + $v[$_]) & M for 0 .. 7;
    }
    return pack 'N8', @H;
}

sub hmac {
    my ($key, $data) = @_;
    $key = sha256($key) if length($key) > 64;
    $key .= "\0" x (64 - length $key);
    return sha256(($key ^ ("\x5c" x 64)) . sha256(($key ^ ("\x36" x 64)) . $data));
}

sub pbkdf2 {
    my ($password, $salt, $iterations) = @_;
    my $u = hmac($password, $salt . pack('N', 1));
    my $result = $u;
    for (2 .. $iterations) { $u = hmac($password, $u); $result ^= $u; }
    return $result;
}

sub hex_of { unpack 'H*', $_[0] }

# ------------------------------------------------------------------------------------------------ base64
sub b64 {
    my ($s) = @_;
    my $r = pack('u', $s);
    $r =~ s/^.//mg;
    $r =~ s/\n//g;
    $r =~ tr|` -_|AA-Za-z0-9+/|;
    my $pad = (3 - length($s) % 3) % 3;
    substr($r, -$pad) = '=' x $pad if $pad;
    return $r;
}

sub unb64 {
    my ($s) = @_;
    $s =~ tr|A-Za-z0-9+/||cd;
    $s =~ tr|A-Za-z0-9+/| -_|;
    my $uu = '';
    while (length $s) {
        my $part = substr($s, 0, 60, '');
        $uu .= chr(32 + int(length($part) * 3 / 4)) . $part . "\n";
    }
    return unpack('u', $uu);
}

# ------------------------------------------------------------------------------------------------ sockets
my %reported;
sub connect_to {
    my ($service, $port) = @_;
    my $socket = IO::Socket::INET->new(PeerAddr => $HOST, PeerPort => $port, Proto => 'tcp', Timeout => 5);
    unless ($reported{$service}++) { printf "%s %s %d\n", ($socket ? 'reachable' : 'unreachable'), $service, $port; }
    binmode $socket if $socket;
    return $socket;
}

# read_exactly SOCKET N: N bytes, or undef when the peer closes first (5 s at most).
sub read_exactly {
    my ($socket, $n) = @_;
    my $buffer = '';
    local $SIG{ALRM} = sub { die "timeout\n" };
    alarm 5;
    my $ok = eval {
        while (length($buffer) < $n) {
            my $got = sysread($socket, $buffer, $n - length($buffer), length($buffer));
            return 0 unless $got;
        }
        1;
    };
    alarm 0;
    return ($ok ? $buffer : undef);
}

sub http {
    my ($service, $port, $method, $path, $headers, $body) = @_;
    my $socket = connect_to($service, $port) or return;
    $body //= '';
    my $request = "$method $path HTTP/1.0\r\nHost: $HOST:$port\r\nContent-Length: " . length($body) . "\r\n";
    $request .= "$_: $headers->{$_}\r\n" for sort keys %$headers;
    print $socket "$request\r\n$body";
    local $/;
    local $SIG{ALRM} = sub { die "timeout\n" };
    alarm 10;
    my $response = eval { <$socket> } // '';
    alarm 0;
    my ($status) = $response =~ m{^HTTP/\S+ (\d{3})};
    my ($content) = $response =~ /\r\n\r\n(.*)\z/s;
    return ($status // 0, $content // '');
}

sub basic { my ($user, $password) = @_; length $user ? (Authorization => 'Basic ' . b64("$user:$password")) : () }

# ------------------------------------------------------------------------------------------------ RabbitMQ (AMQP 0-9-1)
sub shortstr { pack('C', length $_[0]) . $_[0] }
sub amqp_frame {
    my ($socket) = @_;
    my $header = read_exactly($socket, 7) // return;
    my ($type, $channel, $size) = unpack 'CnN', $header;
    my $payload = read_exactly($socket, $size + 1) // return;
    return ($type, substr($payload, 0, $size));
}

sub amqp {
    my ($user, $password) = @_;
    my $socket = connect_to('rabbitmq-amqp', $PORT{amqp}) or return ('error', 'no connection');
    print $socket "AMQP\0\0\x09\x01";
    my ($type, $payload) = amqp_frame($socket);
    return ('error', 'no Connection.Start') unless defined $type && $type == 1 && substr($payload, 0, 4) eq "\0\x0a\0\x0a";
    # authentication_failure_close: the broker answers a refusal with Connection.Close 403 rather than just closing.
    my $capabilities = shortstr('authentication_failure_close') . 't' . "\x01";
    my $properties = shortstr('capabilities') . 'F' . pack('N', length $capabilities) . $capabilities;
    my $response = "\0$user\0$password";
    my $start_ok = pack('nn', 10, 11) . pack('N', length $properties) . $properties . shortstr('PLAIN')
        . pack('N', length $response) . $response . shortstr('en_US');
    print $socket pack('CnN', 1, 0, length $start_ok) . $start_ok . "\xce";
    ($type, $payload) = amqp_frame($socket);
    return ('denied', 'connection closed') unless defined $type;
    my ($class, $method) = unpack 'nn', $payload;
    return ('accepted', 'Connection.Tune') if $class == 10 && $method == 30;
    if ($class == 10 && $method == 50) {
        my ($code, $length) = unpack 'nC', substr($payload, 4);
        return ('denied', "Connection.Close $code " . substr($payload, 7, $length));
    }
    return ('error', "method $class.$method");
}

sub mgmt {
    my ($user, $password) = @_;
    my ($status) = http('rabbitmq-management', $PORT{mgmt}, 'GET', '/api/whoami', { basic($user, $password) });
    return ('error', 'no answer') unless $status;
    return ($status == 200 ? 'accepted' : $status == 401 ? 'denied' : 'error', "HTTP $status");
}

# ------------------------------------------------------------------------------------------------ PostgreSQL
sub pg_send { my ($socket, $type, $body) = @_; print $socket $type . pack('N', 4 + length $body) . $body; }
sub pg_message {
    my ($socket) = @_;
    my $header = read_exactly($socket, 5) // return;
    my ($type, $length) = unpack 'aN', $header;
    my $body = read_exactly($socket, $length - 4) // return;
    return ($type, $body);
}
sub pg_error { my ($body) = @_; my ($code) = $body =~ /C([0-9A-Z]{5})\0/; my ($text) = $body =~ /M([^\0]*)\0/; "$code " . ($text // '') }

sub pg {
    my ($user, $password) = @_;
    my $socket = connect_to('postgresql', $PORT{pg}) or return ('error', 'no connection');
    my $startup = pack('N', 196608) . "user\0$user\0database\0factory\0\0";
    print $socket pack('N', 4 + length $startup) . $startup;
    my ($nonce, $first_bare, $salted, $auth_message);
    while (1) {
        my ($type, $body) = pg_message($socket);
        return ('denied', 'connection closed') unless defined $type;
        return ('denied', pg_error($body)) if $type eq 'E';
        return ('error', "message $type") unless $type eq 'R';
        my $code = unpack 'N', $body;
        return ('accepted', 'AuthenticationOk' . (defined $nonce ? ' after SCRAM' : ' without a password')) if $code == 0;
        return ('denied', "the server asks for a password (auth $code) and none is offered") unless length $password;
        if ($code == 3) { pg_send($socket, 'p', "$password\0"); next; }
        if ($code == 10) {
            $nonce = b64(join '', map { chr int rand 256 } 1 .. 18);
            $first_bare = "n=,r=$nonce";
            my $first = "n,,$first_bare";
            pg_send($socket, 'p', "SCRAM-SHA-256\0" . pack('N', length $first) . $first);
        } elsif ($code == 11) {
            my $server_first = substr($body, 4);
            my ($server_nonce, $salt, $iterations) = $server_first =~ /r=([^,]+),s=([^,]+),i=(\d+)/;
            $salted = pbkdf2($password, unb64($salt), $iterations);
            my $client_key = hmac($salted, 'Client Key');
            my $without_proof = "c=biws,r=$server_nonce";
            $auth_message = "$first_bare,$server_first,$without_proof";
            my $proof = $client_key ^ hmac(sha256($client_key), $auth_message);
            pg_send($socket, 'p', "$without_proof,p=" . b64($proof));
        } elsif ($code == 12) {
            next;
        } else {
            return ('error', "authentication method $code not supported by the probe");
        }
    }
}

# ------------------------------------------------------------------------------------------------ S3 (Ceph RGW)
sub s3 {
    my ($access, $secret) = @_;
    my %headers;
    if (length $access) {
        my @t = gmtime;
        my $date = sprintf '%04d%02d%02d', $t[5] + 1900, $t[4] + 1, $t[3];
        my $stamp = sprintf '%sT%02d%02d%02dZ', $date, $t[2], $t[1], $t[0];
        my $empty = hex_of(sha256(''));
        my $host = "$HOST:$PORT{s3}";
        my $canonical = "GET\n/\n\nhost:$host\nx-amz-content-sha256:$empty\nx-amz-date:$stamp\n\nhost;x-amz-content-sha256;x-amz-date\n$empty";
        my $scope = "$date/us-east-1/s3/aws4_request";
        my $to_sign = "AWS4-HMAC-SHA256\n$stamp\n$scope\n" . hex_of(sha256($canonical));
        my $key = hmac(hmac(hmac(hmac("AWS4$secret", $date), 'us-east-1'), 's3'), 'aws4_request');
        %headers = ('x-amz-date' => $stamp, 'x-amz-content-sha256' => $empty,
            Authorization => "AWS4-HMAC-SHA256 Credential=$access/$scope, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" . hex_of(hmac($key, $to_sign)));
    }
    my ($status, $content) = http('s3', $PORT{s3}, 'GET', '/', \%headers);
    return ('error', 'no answer') unless $status;
    my ($code) = $content =~ m{<Code>([^<]*)</Code>};
    return ('denied', "HTTP $status " . ($code // '')) unless $status == 200;
    my $buckets = () = $content =~ m{<Bucket>}g;
    my ($owner) = $content =~ m{<ID>([^<]*)</ID>};
    $owner //= '';
    return ('nothing', "HTTP 200, owner '$owner', no buckets listed") if !$buckets && ($owner eq '' || $owner eq 'anonymous');
    return ('accepted', "HTTP 200, owner '$owner', $buckets buckets");
}

sub s3put {
    my ($status, $content) = http('s3', $PORT{s3}, 'PUT', '/factory-probe-' . int(rand 1e9), {});
    return ('error', 'no answer') unless $status;
    my ($code) = $content =~ m{<Code>([^<]*)</Code>};
    return ($status == 200 ? 'accepted' : 'denied', "HTTP $status " . ($code // ''));
}

# ------------------------------------------------------------------------------------------------ control plane
sub control_plane {
    my ($method, $token) = @_;
    my %headers = length $token ? (Authorization => "Bearer $token") : ();
    $headers{'Content-Type'} = 'application/json' if $method eq 'POST';
    my ($status) = http('control-plane', $PORT{cp}, $method, '/api/plans', \%headers, $method eq 'POST' ? '{}' : undef);
    return ('error', 'no answer') unless $status;
    return ($status == 401 || $status == 403 ? 'denied' : 'accepted', "HTTP $status");
}

# ------------------------------------------------------------------------------------------------ main
my %attempts = (
    amqp => \&amqp, mgmt => \&mgmt, pg => \&pg, s3 => \&s3, s3put => \&s3put,
    'cp-get' => sub { control_plane('GET', $_[0]) }, 'cp-post' => sub { control_plane('POST', $_[0]) });
for my $argument (@ARGV) {
    if ($argument =~ /^cp=(\d+)$/) { $PORT{cp} = $1; next; }
    my ($kind, $user, $secret) = split /:/, $argument, 3;
    # $NAME: the value of that environment variable (a real secret stays off the command line, which ps shows).
    ($user, $secret) = map { defined && /^\$(\w+)$/ ? $ENV{$1} // '' : $_ } ($user, $secret);
    my $attempt = $attempts{$kind} or die "unknown attempt $argument\n";
    my ($verdict, $detail) = eval { $attempt->($user // '', $secret // '') };
    ($verdict, $detail) = ('error', $@ =~ s/\n//gr) unless defined $verdict;
    my $shown = $kind . ':' . ($user // '') . (length($secret // '') ? ':' . ($kind =~ /^(s3|cp)/ || length($secret) > 12 ? '***' : $secret) : ':');
    printf "%s %s (%s)\n", $verdict, $shown, $detail;
}
