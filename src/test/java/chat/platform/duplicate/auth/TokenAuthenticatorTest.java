package chat.platform.duplicate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import chat.platform.duplicate.problem.ApiProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenAuthenticatorTest {

    /** SHA-256("abc"), FIPS 180-2 appendix B.1. */
    private static final String SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    /** SHA-256(""). */
    private static final String SHA256_EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /** SHA-256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"), FIPS 180-2 appendix B.2. */
    private static final String SHA256_TWO_BLOCKS = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

    private static final String MISSING_DETAIL = "A bearer token is required: send 'Authorization: Bearer <token>'.";
    private static final String INVALID_DETAIL = "The bearer token is unknown or revoked.";

    private final TokenAuthenticator authenticator = new TokenAuthenticator();

    // ------------------------------------------------------------ sha256Hex

    @Test
    void sha256HexOfKnownVectors() {
        assertThat(TokenAuthenticator.sha256Hex("abc")).isEqualTo(SHA256_ABC);
        assertThat(TokenAuthenticator.sha256Hex("")).isEqualTo(SHA256_EMPTY);
        assertThat(TokenAuthenticator.sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))
                .isEqualTo(SHA256_TWO_BLOCKS);
    }

    @Test
    void sha256HexIsLowerCaseHexOf64Characters() {
        assertThat(TokenAuthenticator.sha256Hex("some-token")).matches("^[0-9a-f]{64}$");
    }

    @Test
    void sha256HexHashesUtf8Bytes() {
        // "é" is c3 a9 in UTF-8 and e9 in Latin-1: only the UTF-8 hash is right.
        assertThat(TokenAuthenticator.sha256Hex("\u00e9"))
                .isEqualTo(sha256OfBytes(new byte[] {(byte) 0xc3, (byte) 0xa9}))
                .isNotEqualTo(sha256OfBytes(new byte[] {(byte) 0xe9}));
    }

    // ------------------------------------------------------------ tokenHash: accepted

    @Test
    void bearerTokenIsHashed() {
        assertThat(authenticator.tokenHash("Bearer abc")).isEqualTo(SHA256_ABC);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bearer abc", "BEARER abc", "BeArEr abc", "Bearer  abc", "Bearer abc ", "Bearer \tabc\t"})
    void schemeIsCaseInsensitiveAndTokenIsTrimmed(String header) {
        assertThat(authenticator.tokenHash(header)).isEqualTo(SHA256_ABC);
    }

    @Test
    void tokenIsCaseSensitive() {
        assertThat(authenticator.tokenHash("Bearer ABC")).isEqualTo(TokenAuthenticator.sha256Hex("ABC"))
                .isNotEqualTo(SHA256_ABC);
    }

    @Test
    void headerOfExactlyMaximumLengthIsAccepted() {
        String token = "t".repeat(TokenAuthenticator.MAX_HEADER_LENGTH - "Bearer ".length());
        String header = "Bearer " + token;
        assertThat(header).hasSize(4096);
        assertThat(authenticator.tokenHash(header)).isEqualTo(TokenAuthenticator.sha256Hex(token));
    }

    // ------------------------------------------------------------ tokenHash: refused

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "   ", "\t", "\n"})
    void missingOrBlankHeaderIs401(String header) {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> authenticator.tokenHash(header));
        assertUnauthorized(problem);
        assertThat(problem.detail()).isEqualTo(MISSING_DETAIL);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Basic x", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Digest abc", "Token abc", "abc",
            "Bearer", "bearer", "Bearer ", "Bearer    ", "Bearer\t", "Bearerabc", "Bearer\tabc", "Bearer:abc",
            " Bearer abc", "Bear abc", "Bearers abc"})
    void notABearerTokenIs401(String header) {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> authenticator.tokenHash(header));
        assertUnauthorized(problem);
        assertThat(problem.detail()).isEqualTo(INVALID_DETAIL);
    }

    @Test
    void overLongHeaderIs401() {
        String header = "Bearer " + "t".repeat(TokenAuthenticator.MAX_HEADER_LENGTH - "Bearer ".length() + 1);
        assertThat(header).hasSize(4097);
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> authenticator.tokenHash(header));
        assertUnauthorized(problem);
        assertThat(problem.detail()).isEqualTo(INVALID_DETAIL);
    }

    @Test
    void veryLongHeaderIs401() {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class,
                () -> authenticator.tokenHash("Bearer " + "x".repeat(1_000_000)));
        assertUnauthorized(problem);
    }

    // ------------------------------------------------------------ requireUser

    @Test
    void requireUserReturnsTheFoundUser() {
        assertThat(authenticator.requireUser(7L)).isEqualTo(7L);
        assertThat(authenticator.requireUser(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void requireUserWithoutUserIs401() {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> authenticator.requireUser(null));
        assertUnauthorized(problem);
        assertThat(problem.detail()).isEqualTo(INVALID_DETAIL);
    }

    private static void assertUnauthorized(ApiProblem problem) {
        assertThat(problem).isNotNull();
        assertThat(problem.status()).isEqualTo(401);
        assertThat(problem.title()).isEqualTo("Unauthorized");
    }

    private static String sha256OfBytes(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
