package io.sluice.daemon.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.util.Version;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The libraries build on a plain parent and the daemon on Micronaut's: the versions both poms
 * name must stay equal, and the Netty the daemon runs on must be the one the libraries were built
 * against.
 */
class BuildAlignmentTest {

    @Test
    void propertiesBothPomsDefineAgree() throws Exception {
        Map<String, String> root = properties(CheckoutStandsAloneTest.checkout().resolve("pom.xml"));
        Map<String, String> daemon = properties(CheckoutStandsAloneTest.checkout().resolve("daemon/pom.xml"));
        Map<String, String> shared = new LinkedHashMap<>();
        daemon.keySet().stream().filter(root::containsKey).forEach(k -> shared.put(k, daemon.get(k)));
        assertFalse(shared.isEmpty(), "the poms share no property: the check would prove nothing");
        shared.forEach((k, v) -> assertEquals(root.get(k), v, "property " + k + " differs between pom.xml and daemon/pom.xml"));
    }

    @Test
    void theDaemonRunsOnTheNettyTheLibrariesUse() throws Exception {
        String expected = properties(CheckoutStandsAloneTest.checkout().resolve("pom.xml")).get("netty.version");
        Version handler = Version.identify().get("netty-handler");
        assertEquals(expected, handler.artifactVersion(), "Micronaut's BOM moved Netty; update netty.version in pom.xml");
    }

    private static Map<String, String> properties(Path pom) throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
        Map<String, String> out = new LinkedHashMap<>();
        NodeList children = project.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node n = children.item(i);
            if (n instanceof Element e && e.getTagName().equals("properties")) {
                NodeList props = e.getChildNodes();
                for (int j = 0; j < props.getLength(); j++) {
                    if (props.item(j) instanceof Element p) {
                        out.put(p.getTagName(), p.getTextContent().strip());
                    }
                }
            }
        }
        return out;
    }
}
