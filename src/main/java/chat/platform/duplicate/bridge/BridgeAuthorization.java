package chat.platform.duplicate.bridge;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The {@code Authorization} header of every bridge attempt: {@code Bearer BRIDGE_TOKEN}. A bean
 * rather than a {@code {{bridge.token}}} placeholder in the route, so that the token is in no
 * route definition: the console's route dumps and processor attributes cannot show it.
 */
@Component("bridgeAuthorization")
public class BridgeAuthorization {

    private final String header;

    public BridgeAuthorization(@Value("${bridge.token:}") String token) {
        this.header = "Bearer " + token;
    }

    public String header() {
        return header;
    }

    @Override
    public String toString() {
        return "BridgeAuthorization[Bearer ****]";
    }
}
