package chat.platform.duplicate.files;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Download URLs of stored files: {@code {FILES_BASE_URL}/files/{uuid}} and the public one,
 * signed with {@code ?signature=} the hex HMAC-SHA256 of the uuid under FILES_SIGNING_KEY.
 */
@Component("fileUrls")
public class FileUrls {

    private static final Logger LOG = LoggerFactory.getLogger(FileUrls.class);
    private static final String HMAC = "HmacSHA256";

    private final String baseUrl;
    private final SecretKeySpec key;

    public FileUrls(@Value("${files.base-url}") String baseUrl, @Value("${files.signing-key:}") String signingKey) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        byte[] keyBytes;
        if (signingKey == null || signingKey.isEmpty()) {
            keyBytes = new byte[32];
            new SecureRandom().nextBytes(keyBytes);
            LOG.warn("FILES_SIGNING_KEY is not set: public download URLs are signed with a random key "
                    + "that changes on every start (set it to keep them valid across restarts and instances).");
        } else {
            keyBytes = signingKey.getBytes(StandardCharsets.UTF_8);
        }
        this.key = new SecretKeySpec(keyBytes, HMAC);
    }

    public String downloadUrl(String uuid) {
        return baseUrl + "/files/" + uuid;
    }

    public String publicDownloadUrl(String uuid) {
        return downloadUrl(uuid) + "?signature=" + signature(uuid);
    }

    public String signature(String uuid) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(uuid.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
