package chat.platform.duplicate.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/** On the embedded default, logs one ready-to-paste {@code curl} that duplicates a demo message. */
class DemoCurl implements ApplicationListener<ApplicationReadyEvent> {

    static final String DEMO_TOKEN = "demo-token";
    private static final Logger LOG = LoggerFactory.getLogger(DemoCurl.class);

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080");
        LOG.info("""
                Ready on the embedded default (demo data). Duplicate demo message 1 of conversation 1:

                  curl -i -X POST -H 'Authorization: Bearer {}' http://localhost:{}/third-party/v1/conversations/1/messages/1/duplicate
                """, DEMO_TOKEN, port);
    }
}
