package chat.platform.duplicate.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Counts SQL round trips: every statement execution through the application's DataSource
 * (the service's only way to the database), except those of Camel's timer routes (recovery,
 * purge), which run on their own schedule. Wraps the DataSource bean in a proxy.
 */
@TestConfiguration(proxyBeanMethods = false)
public class StatementCounter {

    private static final AtomicInteger EXECUTIONS = new AtomicInteger();

    public static void reset() {
        EXECUTIONS.set(0);
    }

    public static int executions() {
        return EXECUTIONS.get();
    }

    @Bean
    static BeanPostProcessor countingDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof DataSource dataSource ? wrap(dataSource, DataSource.class) : bean;
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> T wrap(T target, Class<T> type) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (target instanceof Statement && method.getName().startsWith("execute")
                    && !Thread.currentThread().getName().contains("timer://")) {
                EXECUTIONS.incrementAndGet();
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Connection connection && method.getReturnType() == Connection.class) {
                return wrap(connection, Connection.class);
            }
            if (result instanceof Statement statement && Statement.class.isAssignableFrom(method.getReturnType())) {
                return wrap(statement, (Class<Statement>) method.getReturnType());
            }
            return result;
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
