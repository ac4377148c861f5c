/**
 * picocli 4.7.7 (Apache License 2.0, https://picocli.info), compiled for Java 25 from its
 * released sources with the descriptor its own jar declares. See this module's pom.xml for why.
 */
module info.picocli {
    requires static java.sql;   // optional converters for java.sql types, looked up by reflection
    exports picocli;
}
