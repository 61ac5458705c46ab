package chat.platform.duplicate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class DuplicateMessageApplication {

    public static void main(String[] args) {
        SpringApplication.run(DuplicateMessageApplication.class, args);
    }
}
