package chat.platform.duplicate.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import chat.platform.duplicate.problem.ApiProblem;
import org.springframework.stereotype.Component;

/**
 * Bearer-token authentication of the Client API. Only the SHA-256 of a token is stored
 * ({@code api_tokens.token_sha256}: lower-case hex over the token's UTF-8 bytes); the route
 * looks the hash up and hands the result back to {@link #requireUser}.
 */
@Component("tokenAuthenticator")
public class TokenAuthenticator {

    /** Longer headers are refused without hashing: no real token is this long. */
    static final int MAX_HEADER_LENGTH = 4096;
    private static final String SCHEME = "bearer ";

    /** The SHA-256 hex of the bearer token in an {@code Authorization} header; 401 when there is none. */
    public String tokenHash(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiProblem.unauthorized("A bearer token is required: send 'Authorization: Bearer <token>'.");
        }
        String token = bearerToken(authorization);
        if (token == null) {
            throw invalid();
        }
        return sha256Hex(token);
    }

    /** The token of an {@code Authorization: Bearer <token>} header; null when there is none. */
    public static String bearerToken(String authorization) {
        if (authorization == null || authorization.length() > MAX_HEADER_LENGTH
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        String token = authorization.substring(SCHEME.length()).strip();
        return token.isEmpty() ? null : token;
    }

    /** The user the token belongs to, as found by the route's lookup; 401 when none was found. */
    public long requireUser(Long userId) {
        if (userId == null) {
            throw invalid();
        }
        return userId;
    }

    public static String sha256Hex(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static ApiProblem invalid() {
        return ApiProblem.unauthorized("The bearer token is unknown or revoked.");
    }
}
