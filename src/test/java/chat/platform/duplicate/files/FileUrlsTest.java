package chat.platform.duplicate.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class FileUrlsTest {

    private static final String UUID = "1f0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33";
    private static final String KEY = "test-signing-key";

    @Test
    void downloadUrlIsBaseSlashFilesSlashUuid() {
        FileUrls urls = new FileUrls("http://localhost:8080", KEY);
        assertThat(urls.downloadUrl(UUID)).isEqualTo("http://localhost:8080/files/" + UUID);
    }

    @Test
    void downloadUrlKeepsAPathInTheBase() {
        FileUrls urls = new FileUrls("https://chat.example/api", KEY);
        assertThat(urls.downloadUrl(UUID)).isEqualTo("https://chat.example/api/files/" + UUID);
    }

    @Test
    void trailingSlashOfTheBaseIsDropped() {
        FileUrls withSlash = new FileUrls("https://files.example/", KEY);
        FileUrls withoutSlash = new FileUrls("https://files.example", KEY);
        assertThat(withSlash.downloadUrl(UUID)).isEqualTo("https://files.example/files/" + UUID);
        assertThat(withSlash.publicDownloadUrl(UUID)).isEqualTo(withoutSlash.publicDownloadUrl(UUID));
    }

    @Test
    void trailingSlashOfABaseWithPathIsDropped() {
        FileUrls urls = new FileUrls("https://chat.example/api/", KEY);
        assertThat(urls.downloadUrl(UUID)).isEqualTo("https://chat.example/api/files/" + UUID);
    }

    @Test
    void publicDownloadUrlIsDownloadUrlWithHmacSignature() {
        FileUrls urls = new FileUrls("http://localhost:8080", KEY);
        assertThat(urls.publicDownloadUrl(UUID))
                .isEqualTo("http://localhost:8080/files/" + UUID + "?signature=" + hmacHex(KEY, UUID));
    }

    @Test
    void signatureIsLowerCaseHexHmacSha256OfTheUuid() {
        FileUrls urls = new FileUrls("http://localhost:8080", KEY);
        String signature = urls.signature(UUID);
        assertThat(signature).isEqualTo(hmacHex(KEY, UUID)).matches("^[0-9a-f]{64}$");
    }

    @Test
    void signatureMatchesRfc4231TestCase2() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        FileUrls urls = new FileUrls("http://x", "Jefe");
        assertThat(urls.signature("what do ya want for nothing?"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void signatureDependsOnUuidAndKey() {
        FileUrls urls = new FileUrls("http://localhost:8080", KEY);
        String other = "2a0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33";
        assertThat(urls.signature(other)).isEqualTo(hmacHex(KEY, other)).isNotEqualTo(urls.signature(UUID));
        assertThat(new FileUrls("http://localhost:8080", KEY + "x").signature(UUID))
                .isNotEqualTo(urls.signature(UUID));
    }

    @Test
    void sameKeyGivesSameSignatureAcrossInstances() {
        assertThat(new FileUrls("http://a", KEY).signature(UUID))
                .isEqualTo(new FileUrls("http://b/", KEY).signature(UUID));
    }

    @Test
    void keyIsTakenAsUtf8Bytes() {
        String key = "schl\u00fcssel-\u20ac";
        assertThat(new FileUrls("http://x", key).signature(UUID)).isEqualTo(hmacHex(key, UUID));
    }

    @Test
    void signatureIsStableForOneInstance() {
        FileUrls urls = new FileUrls("http://x", "");
        assertThat(urls.signature(UUID)).isEqualTo(urls.signature(UUID));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void withoutKeyEachInstanceSignsWithItsOwnRandomKey(String noKey) {
        FileUrls first = new FileUrls("http://localhost:8080", noKey);
        FileUrls second = new FileUrls("http://localhost:8080", noKey);
        assertThat(first.signature(UUID)).matches("^[0-9a-f]{64}$")
                .isNotEqualTo(second.signature(UUID));
        assertThat(first.publicDownloadUrl(UUID))
                .startsWith("http://localhost:8080/files/" + UUID + "?signature=")
                .isNotEqualTo(second.publicDownloadUrl(UUID));
        assertThat(first.downloadUrl(UUID)).isEqualTo(second.downloadUrl(UUID));
    }

    private static String hmacHex(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
