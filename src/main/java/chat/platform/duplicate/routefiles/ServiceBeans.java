package chat.platform.duplicate.routefiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.beans.factory.support.SimpleBeanDefinitionRegistry;
import org.springframework.context.annotation.AnnotationBeanNameGenerator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ScannedGenericBeanDefinition;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.MethodMetadata;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.SimpleMetadataReaderFactory;
import org.springframework.stereotype.Component;

/**
 * The names of the service's beans, the ones a route may call ({@code ref: duplicateRules}),
 * read from the service's own class files the way Spring's component scan reads them (their
 * annotations, with ASM), without loading a class or starting a context: so
 * {@code validate-routes} knows them with no database, and start-up and live reload know the same
 * names. A bean is a class of this service annotated as a component (named as Spring names it),
 * and each {@code @Bean} method of one. Classes and methods with a condition
 * ({@code @ConditionalOn...}) are left out: a route must not depend on a bean that exists only
 * sometimes (the tracing beans exist only while tracing is on).
 */
public final class ServiceBeans {

    private static final String PACKAGE = "chat/platform/duplicate/";

    private ServiceBeans() {
    }

    private static volatile Set<String> scanned;

    /** The names, read once per process (the class files do not change while it runs). */
    public static Set<String> scan() {
        Set<String> names = scanned;
        if (names == null) {
            names = Collections.unmodifiableSortedSet(new TreeSet<>(read()));
            scanned = names;
        }
        return names;
    }

    private static Set<String> read() {
        ClassLoader loader = ServiceBeans.class.getClassLoader();
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(loader);
        SimpleMetadataReaderFactory readers = new SimpleMetadataReaderFactory(resolver);
        String root = ownRoot();
        Set<String> names = new TreeSet<>();
        try {
            for (Resource resource : resolver.getResources("classpath*:" + PACKAGE + "**/*.class")) {
                // only the service's own classes: on a test class path the test classes live beside them
                if (root != null && !resource.getURL().toString().startsWith(root)) {
                    continue;
                }
                MetadataReader reader = readers.getMetadataReader(resource);
                AnnotationMetadata type = reader.getAnnotationMetadata();
                if (!type.isIndependent() || !type.isAnnotated(Component.class.getName())
                        || type.isAnnotated(Conditional.class.getName())) {
                    continue;
                }
                names.add(AnnotationBeanNameGenerator.INSTANCE.generateBeanName(
                        new ScannedGenericBeanDefinition(reader), new SimpleBeanDefinitionRegistry()));
                for (MethodMetadata method : type.getAnnotatedMethods(Bean.class.getName())) {
                    if (method.isAnnotated(Conditional.class.getName())) {
                        continue;
                    }
                    Map<String, Object> bean = method.getAnnotationAttributes(Bean.class.getName());
                    String[] given = bean == null ? new String[0] : (String[]) bean.get("name");
                    if (given.length == 0) {
                        names.add(method.getMethodName());
                    } else {
                        names.addAll(Set.of(given));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the service's classes", e);
        }
        return names;
    }

    /** The URL of the class path root (folder or jar) this class comes from. */
    private static String ownRoot() {
        URL self = ServiceBeans.class.getResource(ServiceBeans.class.getSimpleName() + ".class");
        String own = ServiceBeans.class.getName().replace('.', '/') + ".class";
        return self != null && self.toString().endsWith(own) ? self.toString().substring(0, self.toString().length() - own.length()) : null;
    }
}
