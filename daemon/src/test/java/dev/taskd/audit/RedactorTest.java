package dev.taskd.audit;

import static dev.taskd.audit.Events.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void fieldsNamedLikeKeyTokenOrSecretAreMaskedAtAnyDepth() {
        ObjectNode redacted = Redactor.redact(json(
                "{'provider':{'api_key':'sk-1','url':'https://x','inner':{'clientSecret':'s','AUTH_TOKEN':'t'}}}"));
        assertThat(redacted).isEqualTo(json(
                "{'provider':{'api_key':'***','url':'https://x','inner':{'clientSecret':'***','AUTH_TOKEN':'***'}}}"));
    }

    @Test
    void fieldsInsideArraysOfObjectsAreMasked() {
        ObjectNode redacted = Redactor.redact(json("{'providers':[{'name':'a','apiKey':'k'},{'name':'b'}],'n':[1,2]}"));
        assertThat(redacted).isEqualTo(json("{'providers':[{'name':'a','apiKey':'***'},{'name':'b'}],'n':[1,2]}"));
    }

    @Test
    void secretValueOfAnyShapeIsMaskedWhole() {
        ObjectNode redacted = Redactor.redact(json("{'secrets':{'github':'g','list':['a']},'keys':['k1','k2']}"));
        assertThat(redacted).isEqualTo(json("{'secrets':'***','keys':'***'}"));
    }

    @Test
    void diffEntryOfASecretConfigKeyKeepsItsKeyAndMasksOldAndNew() {
        ObjectNode redacted = Redactor.redact(json("{'changes':["
                + "{'key':'llm.providers.x.api-key-file','kind':'modified','old':'/a','new':'/b','scope':'limits'},"
                + "{'key':'auth.token-file','kind':'added','old':null,'new':'/t','scope':'limits'},"
                + "{'key':'llm.providers.x.api-key-env','kind':'removed','old':'OPENAI_KEY','new':null},"
                + "{'key':'vault.db-secret','old':{'nested':1},'new':[1]}]}"));
        assertThat(redacted).isEqualTo(json("{'changes':["
                + "{'key':'llm.providers.x.api-key-file','kind':'modified','old':'***','new':'***','scope':'limits'},"
                + "{'key':'auth.token-file','kind':'added','old':null,'new':'***','scope':'limits'},"
                + "{'key':'llm.providers.x.api-key-env','kind':'removed','old':'OPENAI_KEY','new':null},"
                + "{'key':'vault.db-secret','old':'***','new':'***'}]}"));
    }

    @Test
    void diffEntryOfAnOrdinaryConfigKeyIsUntouched() {
        ObjectNode event = json("{'unsafe_changes':[{'key':'limits.max-loops','kind':'modified','old':'10','new':'20'},"
                + "{'key':'loop-types.ralph.max-tokens','old':1000,'new':2000}]}");
        assertThat(Redactor.redact(event)).isEqualTo(event);
    }

    @Test
    void diffEntryOfATableHasTheSecretFieldsOfItsValueMasked() {
        ObjectNode redacted = Redactor.redact(json(
                "{'key':'llm.providers.x','new':{'kind':'openai','api-key-file':'/k'}}"));
        assertThat(redacted).isEqualTo(json("{'key':'llm.providers.x','new':{'kind':'openai','api-key-file':'***'}}"));
    }

    @Test
    void fieldNamedKeyOutsideADiffEntryIsMasked() {
        assertThat(Redactor.redact(json("{'key':'sk-123','name':'x'}"))).isEqualTo(json("{'key':'***','name':'x'}"));
    }

    @Test
    void ordinaryEventIsUntouchedAndTheInputIsNeverChanged() {
        ObjectNode event = json("{'result':'applied','scope':'limits','generation_before':3,'actor':'ops',"
                + "'changes':[{'key':'limits.max-loops','old':'1','new':'2'}],'warnings':[],'max-tokens':5,"
                + "'loops':[{'loop_id':'01J','type':'ralph'}],'error':null}");
        ObjectNode copy = event.deepCopy();
        ObjectNode secret = json("{'token':'t'}");

        assertThat(Redactor.redact(event)).isEqualTo(copy).isNotSameAs(event);
        Redactor.redact(secret);
        assertThat(secret).isEqualTo(json("{'token':'t'}"));
    }

    @Test
    void secretLikeNamesAreMatchedAsSubstringsInAnyCase() {
        assertThat(Redactor.secretLike("api-key-file")).isTrue();
        assertThat(Redactor.secretLike("llm.providers.x.api-key-env")).as("a variable's name, not its value").isFalse();
        assertThat(Redactor.secretLike("auth.token-file")).isTrue();
        assertThat(Redactor.secretLike("Client_SECRET")).isTrue();
        assertThat(Redactor.secretLike("apikey")).isTrue();
        assertThat(Redactor.secretLike("limits.per-type.monkey")).as("errs on the side of hiding").isTrue();
        assertThat(Redactor.secretLike("max-tokens")).isFalse();
        assertThat(Redactor.secretLike("loop-types.ralph.max-tokens")).isFalse();
        assertThat(Redactor.secretLike("secret.max-tokens")).isTrue();
        assertThat(Redactor.secretLike("limits.max-loops")).isFalse();
        assertThat(Redactor.secretLike("key")).isTrue();
    }
}
