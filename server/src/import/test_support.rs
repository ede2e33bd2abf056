//! Test data shared by the import tests: a sample file of ten children and a builder for
//! files with chosen values.

/// Header row of the sample file, with two contacts and no optional columns.
pub const HEADER: &str = "First name,Last name,Date of birth,Room,Key person,Start date,Mon,Tue,Wed,Thu,Fri,Funded hours,Contact 1 name,Contact 1 relationship,Contact 1 phone,Contact 1 email,Contact 1 may collect,Contact 2 name,Contact 2 relationship,Contact 2 phone,Contact 2 email,Contact 2 may collect,Display consent";

/// Ten children across the rooms Babies, Toddlers and Pre-school, with the key persons
/// Hannah Cole, Marcus Reid, Priya Shah, Tom Beckett, Ellie Dunn and Sam Patel.
pub const SAMPLE_CSV: &str = r#"First name,Last name,Date of birth,Room,Key person,Start date,Mon,Tue,Wed,Thu,Fri,Funded hours,Contact 1 name,Contact 1 relationship,Contact 1 phone,Contact 1 email,Contact 1 may collect,Contact 2 name,Contact 2 relationship,Contact 2 phone,Contact 2 email,Contact 2 may collect,Display consent
Ava,Whitfield,14/03/2022,Pre-school,Hannah Cole,02/09/2024,Full,Full,Full,Full,Full,30,Laura Whitfield,Mother,07700 900101,laura.w@example.org,yes,Peter Whitfield,Father,07700 900102,,yes,yes
Noah,Ellison,02/11/2021,Pre-school,Hannah Cole,04/09/2023,AM,AM,AM,AM,AM,15,Sarah Ellison,Mother,07700 900103,s.ellison@example.org,yes,Joan Ellison,Grandmother,07700 900104,,yes,yes
Isla,Moreno,27/06/2022,Pre-school,Marcus Reid,02/09/2024,Full,,Full,,Full,15,Daniel Moreno,Father,07700 900105,dmoreno@example.net,yes,,,,,,no
Leo,Barnes,09/01/2023,Toddlers,Priya Shah,06/01/2025,Full,Full,Full,Full,Full,,Kirsty Barnes,Mother,07700 900106,kbarnes@example.com,yes,Aunt Jo Barnes,Aunt,07700 900107,,no,yes
Mia,O'Connor,18/08/2023,Toddlers,Priya Shah,01/09/2025,PM,PM,PM,,,,Siobhan O'Connor,Mother,07700 900108,siobhan.oc@example.org,yes,,,,,,yes
Oliver,Kaur-Singh,30/04/2023,Toddlers,Tom Beckett,03/03/2025,Full,Full,,,,,Harpreet Kaur,Mother,07700 900109,h.kaur@example.org,yes,Jaswinder Singh,Father,07700 900110,,yes,yes
Freya,Adeyemi,12/12/2022,Toddlers,Tom Beckett,02/09/2024,AM,AM,AM,,,15,Tolu Adeyemi,Father,07700 900111,tolu.a@example.net,yes,Grace Adeyemi,Mother,07700 900112,grace.a@example.net,yes,yes
Jack,Nowak,05/05/2024,Babies,Ellie Dunn,01/09/2025,Full,Full,Full,,,,Marta Nowak,Mother,07700 900113,marta.nowak@example.com,yes,,,,,,yes
Amelia,Hughes,21/02/2025,Babies,Ellie Dunn,05/01/2026,,Full,,Full,,,Chloe Hughes,Mother,07700 900114,chloe.h@example.org,yes,Gareth Hughes,Father,07700 900115,,yes,no
Theo,Murphy,11/07/2024,Babies,Sam Patel,01/09/2025,AM,AM,AM,AM,AM,,Niamh Murphy,Mother,07700 900116,niamh.m@example.com,yes,Sean Murphy,Father,07700 900117,,yes,yes
"#;

/// Returns the values of a valid row for a child called `first_name` Whitfield, with each
/// `(column, value)` in `changes` replacing the value of that column of [`HEADER`].
pub fn child(first_name: &str, changes: &[(&str, &str)]) -> String {
    let mut values: Vec<String> = SAMPLE_CSV
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    values[0] = first_name.to_owned();
    let columns: Vec<&str> = HEADER.split(',').collect();
    for (column, value) in changes {
        let index = columns
            .iter()
            .position(|name| name == column)
            .unwrap_or_else(|| panic!("no column {column}"));
        values[index] = quote(value);
    }
    values.join(",")
}

/// Returns a file with [`HEADER`] and `rows`, each line ending in `\n`.
pub fn file(rows: &[String]) -> String {
    let mut text = format!("{HEADER}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

fn quote(value: &str) -> String {
    if value.contains([',', '"', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}
